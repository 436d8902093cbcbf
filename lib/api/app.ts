/**
 * The API core: dispatches a routed ApiRequest to its operation and turns every failure into the
 * contract's error body. Runtime-neutral: it never sees Lambda or node:http types.
 */
import { sharedStorage, type Storage } from '../storage';
import { authorize } from './authorization';
import { errorResponse } from './error-response';
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

export { errorResponse, normalizeError } from './error-response';
