/**
 * The API core: dispatches a routed ApiRequest to its operation and turns every failure into the
 * contract's error body. Runtime-neutral: it never sees Lambda or node:http types.
 */
import { StreambedError, isStreambedError } from '../errors';
import { sharedStorage, type Storage } from '../storage';
import type { ApiRequest, ApiResponse } from './http';
import { fetchOp, listOffsetsOp } from './operations/fetch';
import { produceOp } from './operations/produce';
import { createTopicOp, deleteTopicOp, describeTopicOp, listTopicsOp } from './operations/topics';
import type { OperationName } from './routes';

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
};

export async function handleRequest(request: ApiRequest, storage: Storage = sharedStorage()): Promise<ApiResponse> {
  try {
    return await OPERATIONS[request.route.operation](storage, request);
  } catch (err) {
    return errorResponse(err);
  }
}

/** The contract's error body for any thrown value; unknown failures are 503 UNAVAILABLE. */
export function errorResponse(err: unknown): ApiResponse {
  let e: StreambedError;
  if (isStreambedError(err)) {
    e = err;
  } else {
    // Not a failure we know: log it whole, tell the caller only that it may retry.
    console.error(JSON.stringify({ level: 'error', msg: 'unexpected error', error: String(err), stack: (err as Error)?.stack }));
    e = new StreambedError('UNAVAILABLE', 'internal error; safe to retry', { cause: err });
  }
  const headers: Record<string, string> = {};
  if (e.retryAfterSeconds !== undefined) headers['retry-after'] = String(e.retryAfterSeconds);
  return { status: e.status, headers, body: e.toBody() };
}
