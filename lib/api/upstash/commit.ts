/**
 * Upstash's offset APIs of a consumer instance: `POST /commit/{group}/{instance}` (explicit
 * `{topic, partition, offset}` or an array of them; no body or `[]`: everything the instance has
 * consumed so far), `POST /committed/{group}/{instance}` (committed offsets of the partitions
 * named), and `POST /delete-consumer/{group}/{instance}` (the instance leaves its group).
 * Offsets are Kafka's: the committed offset is the next one to read.
 */
import { StreambedError, isStreambedError } from '../../errors';
import { commitOffsets, fetchOffsets, heartbeat, leaveGroup, validateGroupName, type OffsetCommit } from '../../groups';
import type { Storage, UpstashInstanceItem } from '../../storage';
import type { ApiRequest, ApiResponse } from '../http';
import { SUCCESS } from './errors';
import { autoCommit, commitsOf, validateInstanceId } from './instance';
import { oneOrMany, optionalJsonBody, topicPartitionOffsetSchema, topicPartitionSchema } from './shapes';

export async function upstashCommitOp(storage: Storage, request: ApiRequest): Promise<ApiResponse> {
  const { group, instance } = names(request);
  const body = optionalJsonBody(request);
  const explicit = body === undefined || body === null ? [] : oneOrMany(topicPartitionOffsetSchema, body);
  const stored = await storage.upstashInstances.get(group, instance);
  if (explicit.length === 0) {
    if (!stored) throw unknownInstance(group, instance);
    await commitAsMember(storage, group, stored, commitsOf(stored.positions));
  } else if (stored) {
    try {
      await commitAsMember(storage, group, stored, explicit);
    } catch (err) {
      // The instance expired: explicit offsets are still a valid standalone commit.
      if (!isStreambedError(err) || err.code !== 'UNKNOWN_MEMBER_ID') throw err;
      await commitOffsets(storage, group, { offsets: explicit });
    }
  } else {
    await commitOffsets(storage, group, { offsets: explicit });
  }
  return { status: 200, body: SUCCESS };
}

export async function upstashCommittedOp(storage: Storage, request: ApiRequest): Promise<ApiResponse> {
  const { group } = names(request);
  const wanted = oneOrMany(topicPartitionSchema, optionalJsonBody(request) ?? []);
  const byTopic = new Map<string, Awaited<ReturnType<typeof fetchOffsets>>>();
  const out: { topic: string; partition: number; offset: number }[] = [];
  for (const tp of wanted) {
    let rows = byTopic.get(tp.topic);
    if (!rows) byTopic.set(tp.topic, (rows = await fetchOffsets(storage, group, tp.topic)));
    const row = rows.find((r) => r.partition === tp.partition);
    if (!row) throw new StreambedError('UNKNOWN_TOPIC_OR_PARTITION', `topic "${tp.topic}" has partitions 0 to ${rows.length - 1}; partition ${tp.partition} does not exist`);
    // Kafka's OffsetFetch answers -1 for a partition the group never committed.
    out.push({ topic: tp.topic, partition: tp.partition, offset: row.offset ?? -1 });
  }
  return { status: 200, body: out };
}

export async function upstashDeleteConsumerOp(storage: Storage, request: ApiRequest): Promise<ApiResponse> {
  const { group, instance } = names(request);
  const stored = await storage.upstashInstances.get(group, instance);
  if (!stored) throw unknownInstance(group, instance);
  // Kafka's consumer commits on close when auto-commit is on.
  if (stored.autoCommit) await autoCommit(storage, group, stored.memberId, stored.generation, commitsOf(stored.positions));
  try {
    await leaveGroup(storage, group, stored.memberId);
  } catch (err) {
    if (!isStreambedError(err) || err.code !== 'UNKNOWN_MEMBER_ID') throw err;
  }
  await storage.upstashInstances.delete(group, instance);
  return { status: 200, body: SUCCESS };
}

/** A member commit; when the group moved to a new generation meanwhile, heartbeat and commit again. */
async function commitAsMember(storage: Storage, group: string, stored: UpstashInstanceItem, offsets: OffsetCommit[]): Promise<void> {
  if (offsets.length === 0) return;
  try {
    await commitOffsets(storage, group, { memberId: stored.memberId, generation: stored.generation, offsets });
  } catch (err) {
    if (!isStreambedError(err) || err.code !== 'ILLEGAL_GENERATION') throw err;
    const { generation } = await heartbeat(storage, group, stored.memberId, stored.generation);
    await commitOffsets(storage, group, { memberId: stored.memberId, generation, offsets });
  }
}

function names(request: ApiRequest): { group: string; instance: string } {
  const group = request.pathParameters.group ?? '';
  const instance = request.pathParameters.instance ?? '';
  validateGroupName(group);
  validateInstanceId(instance);
  return { group, instance };
}

function unknownInstance(group: string, instance: string): StreambedError {
  return new StreambedError(
    'UNKNOWN_MEMBER_ID',
    `consumer instance "${instance.slice(0, 255)}" does not exist in group "${group}" (never created, removed, or expired); consume to create it`,
  );
}
