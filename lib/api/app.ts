/**
 * The API core: dispatches a routed ApiRequest to its operation and turns every failure into the
 * contract's error body. Runtime-neutral: it never sees Lambda or node:http types.
 */
import { StreambedError, isStreambedError } from '../errors';
import { telemetry } from '../observability';
import { sharedStorage, type Storage } from '../storage';
import { authorize } from './authorization';
import type { ApiRequest, ApiResponse } from './http';
import { fetchOp, listOffsetsOp } from './operations/fetch';
import { commitOffsetsOp, fetchGroupOffsetsOp, heartbeatOp, joinGroupOp, leaveGroupOp, listGroupsOp } from './operations/groups';
import { produceOp } from './operations/produce';
import { createTopicOp, deleteTopicOp, describeTopicOp, listTopicsOp } from './operations/topics';
import type { OperationName } from './routes';
import { UPSTASH_OPERATIONS, upstashErrorResponse } from './upstash/operations';

type Operation = (storage: Storage, request: ApiRequest) => Promise<ApiResponse>;

const OPERATIONS: Record<OperationName, Operation> = {
  createTopic: createTopicOp,
  listTopics: listTopicsOp,
  describeTopic: describeTopicOp,
  deleteTopic: deleteTopicOp,
  produce: produceOp,
  fetch: fetchOp,
  listOffsets: listOffsetsOp,
  health: async () => ({ status: 200, body: { status: 'ok' } }),
  joinGroup: joinGroupOp,
  heartbeat: heartbeatOp,
  leaveGroup: leaveGroupOp,
  commitOffsets: commitOffsetsOp,
  fetchGroupOffsets: fetchGroupOffsetsOp,
  listGroups: listGroupsOp,
  ...UPSTASH_OPERATIONS,
};

export async function handleRequest(request: ApiRequest, storage: Storage = sharedStorage()): Promise<ApiResponse> {
  try {
    // STREAMBED_ACL, when set: 401/403 before the operation runs, listings filtered after.
    const access = authorize(request);
    return access.filter(await OPERATIONS[request.route.operation](storage, request));
  } catch (err) {
    // The Upstash-compatible routes answer errors in Upstash's shape (docs/upstash.md).
    return request.route.role === 'upstash' ? upstashErrorResponse(err) : errorResponse(err);
  }
}

/** The contract's error body for any thrown value; unknown failures are 503 UNAVAILABLE. */
export function errorResponse(err: unknown): ApiResponse {
  let e: StreambedError;
  if (isStreambedError(err)) {
    e = err;
  } else {
    // Not a failure we know: log it whole (redacted), tell the caller only that it may retry.
    telemetry().logger.error('unexpected error', { error: err instanceof Error ? err : String(err) });
    e = new StreambedError('UNAVAILABLE', 'internal error; safe to retry', { cause: err });
  }
  const headers: Record<string, string> = {};
  if (e.retryAfterSeconds !== undefined) headers['retry-after'] = String(e.retryAfterSeconds);
  return { status: e.status, headers, body: e.toBody() };
}
