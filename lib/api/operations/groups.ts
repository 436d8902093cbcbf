/** /v1/groups…: membership, heartbeats, offset commits and lag (API.md "Consumer groups"). */
import { z } from 'zod';
import { StreambedError } from '../../errors';
import { GROUP_LIMITS, commitOffsets, fetchOffsets, heartbeat, joinGroup, leaveGroup, listGroups } from '../../groups';
import { requestMetrics } from '../../observability';
import type { Storage } from '../../storage';
import type { ApiRequest, ApiResponse } from '../http';
import { jsonBody, parseWith } from '../validation';

const memberIdSchema = z
  .string({ error: 'memberId must be a string' })
  .min(1, { error: 'memberId must not be empty' })
  .max(GROUP_LIMITS.maxMemberIdLength, { error: `memberId is at most ${GROUP_LIMITS.maxMemberIdLength} characters` });

const generationSchema = z.number({ error: 'generation must be a number' }).int({ error: 'generation must be an integer' }).min(0, { error: 'generation must be ≥ 0' });

const joinSchema = z.object({
  topics: z.array(z.string({ error: 'each topic must be a string' }), { error: 'topics is required: an array of topic names' }),
  sessionTimeoutMs: z.number({ error: 'sessionTimeoutMs must be a number' }).optional(),
  memberId: memberIdSchema.optional(),
  instanceId: z
    .string({ error: 'instanceId must be a string' })
    .min(1, { error: 'instanceId must not be empty' })
    .max(GROUP_LIMITS.maxMemberIdLength, { error: `instanceId is at most ${GROUP_LIMITS.maxMemberIdLength} characters` })
    .optional(),
});

const heartbeatSchema = z.object({ generation: generationSchema });

const commitSchema = z.object({
  memberId: memberIdSchema.optional(),
  generation: generationSchema.optional(),
  offsets: z.array(
    z.object({
      topic: z.string({ error: 'topic is required and must be a string' }),
      partition: z.number({ error: 'partition is required and must be a number' }),
      // Checked by lib/groups, which answers INVALID_OFFSET (not INVALID_REQUEST) for a bad offset.
      offset: z.unknown().optional(),
      metadata: z.string({ error: 'metadata must be a string or null' }).nullable().optional(),
    }),
    { error: 'offsets is required: an array of {topic, partition, offset, metadata}' },
  ),
});

function pathGroup(request: ApiRequest): string {
  return request.pathParameters.group ?? '';
}

function pathMemberId(request: ApiRequest): string {
  return parseWith(memberIdSchema, request.pathParameters.memberId ?? '');
}

export async function joinGroupOp(storage: Storage, request: ApiRequest): Promise<ApiResponse> {
  const body = parseWith(joinSchema, jsonBody(request));
  const view = await joinGroup(storage, pathGroup(request), body);
  return { status: 200, body: { memberId: view.memberId, generation: view.generation, assignment: view.assignment } };
}

export async function heartbeatOp(storage: Storage, request: ApiRequest): Promise<ApiResponse> {
  const memberId = pathMemberId(request);
  const body = parseWith(heartbeatSchema, jsonBody(request));
  const result = await heartbeat(storage, pathGroup(request), memberId, body.generation);
  return { status: 200, body: { generation: result.generation, assignment: result.assignment, rebalance: result.rebalance } };
}

export async function leaveGroupOp(storage: Storage, request: ApiRequest): Promise<ApiResponse> {
  await leaveGroup(storage, pathGroup(request), pathMemberId(request));
  return { status: 204 };
}

export async function commitOffsetsOp(storage: Storage, request: ApiRequest): Promise<ApiResponse> {
  const body = parseWith(commitSchema, jsonBody(request));
  const offsets = body.offsets.map((o, i) => {
    if (typeof o.offset !== 'number') {
      throw new StreambedError('INVALID_OFFSET', `offsets[${i}].offset must be a non-negative integer (the next offset to read), got ${JSON.stringify(o.offset) ?? 'nothing'}`);
    }
    return { topic: o.topic, partition: o.partition, offset: o.offset, metadata: o.metadata };
  });
  await commitOffsets(storage, pathGroup(request), { memberId: body.memberId, generation: body.generation, offsets });
  return { status: 200, body: {} };
}

export async function fetchGroupOffsetsOp(storage: Storage, request: ApiRequest): Promise<ApiResponse> {
  const topic = request.query.topic;
  const rows = await fetchOffsets(storage, pathGroup(request), topic === undefined || topic === '' ? undefined : topic);
  // The largest lag answered feeds the ConsumerLag metric and its alarm (docs/observability.md).
  if (rows.length > 0) requestMetrics().add('ConsumerLag', Math.max(...rows.map((r) => r.lag)));
  return { status: 200, body: { offsets: rows } };
}

export async function listGroupsOp(storage: Storage): Promise<ApiResponse> {
  return { status: 200, body: { groups: await listGroups(storage) } };
}
