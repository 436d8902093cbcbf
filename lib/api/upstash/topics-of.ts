/**
 * The topic names an Upstash request names, for the ACL check (lib/api/authorization.ts): the
 * `{topic}` path parameter, and in the body (one object or an array of them) every `topic`,
 * `topics[]` and `topicPartitionOffsets[].topic`. A body that does not parse names nothing (the
 * operation then answers 400 and does nothing).
 */
import { StreambedError } from '../../errors';
import type { ApiRequest } from '../http';
import { jsonBody } from '../validation';

export function upstashTopicsOf(request: ApiRequest): string[] {
  const names = new Set<string>();
  if (request.pathParameters.topic !== undefined) names.add(request.pathParameters.topic);
  let body: unknown;
  try {
    body = request.body.length === 0 ? undefined : jsonBody(request);
  } catch (err) {
    if (err instanceof StreambedError) return [...names];
    throw err;
  }
  for (const item of Array.isArray(body) ? body : [body]) {
    if (!isObject(item)) continue;
    if (typeof item.topic === 'string') names.add(item.topic);
    if (Array.isArray(item.topics)) for (const t of item.topics) if (typeof t === 'string') names.add(t);
    if (Array.isArray(item.topicPartitionOffsets)) {
      for (const tpo of item.topicPartitionOffsets) if (isObject(tpo) && typeof tpo.topic === 'string') names.add(tpo.topic);
    }
  }
  return [...names];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
