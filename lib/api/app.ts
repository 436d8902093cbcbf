/**
 * The API core: dispatches a routed ApiRequest to its operation and turns every failure into the
 * contract's error body. Runtime-neutral: it never sees Lambda or node:http types.
 */
import { StreambedError, isStreambedError } from '../errors';
import type { ApiRequest, ApiResponse } from './http';

export async function handleRequest(request: ApiRequest): Promise<ApiResponse> {
  if (request.route.operation === 'health') return { status: 200, body: { status: 'ok' } };
  throw new StreambedError('UNAVAILABLE', `operation ${request.route.operation} is not implemented yet`);
}

/** The contract's error body for any thrown value; unknown failures are 503 UNAVAILABLE. */
export function errorResponse(err: unknown): ApiResponse {
  const e = isStreambedError(err)
    ? err
    : new StreambedError('UNAVAILABLE', 'internal error; safe to retry', { cause: err, retriable: false });
  if (!isStreambedError(err)) console.error(JSON.stringify({ level: 'error', msg: 'unhandled error', error: String(err), stack: (err as Error)?.stack }));
  const headers: Record<string, string> = {};
  if (e.retryAfterSeconds !== undefined) headers['retry-after'] = String(e.retryAfterSeconds);
  return { status: e.status, headers, body: e.toBody() };
}
