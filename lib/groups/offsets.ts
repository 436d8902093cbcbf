/**
 * Committed offsets of a group (Kafka's `__consumer_offsets`) and the lag they imply.
 *
 * A member's commit carries its member id and generation: a member that is unknown or expired
 * gets 404 UNKNOWN_MEMBER_ID, a generation that is not the group's current one 409
 * ILLEGAL_GENERATION (DESIGN.md invariant 7). Each offset item records the generation it was
 * committed under and is written on condition that no commit of a newer generation is stored, so
 * a stale commit that raced a rebalance can never overwrite one made after it.
 */
import { StreambedError } from '../errors';
import { describePartitions, requireTopic, validateTopicName } from '../log';
import type { OffsetItem, Storage, TopicItem } from '../storage';
import { GROUP_LIMITS, validateGroupName } from './limits';
import { settleGroup, unknownMember } from './membership';

export interface OffsetCommit {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to read. */
  readonly offset: number;
  readonly metadata?: string | null;
}

export interface CommitRequest {
  /** Both or neither: without them the commit is standalone (no membership). */
  readonly memberId?: string;
  readonly generation?: number;
  readonly offsets: readonly OffsetCommit[];
}

export interface OffsetRow {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number | null;
  readonly metadata: string | null;
  readonly highWatermark: number;
  readonly lag: number;
}

const COMMIT_CONCURRENCY = 8;

export async function commitOffsets(storage: Storage, group: string, request: CommitRequest): Promise<void> {
  validateGroupName(group);
  if ((request.memberId === undefined) !== (request.generation === undefined)) {
    throw new StreambedError('INVALID_REQUEST', 'memberId and generation go together: send both (a member commit) or neither (a standalone commit)');
  }
  validateCommits(request.offsets);

  // Membership first (as Kafka's coordinator does), then the partitions.
  const { memberId } = request;
  let { generation, hasOffsets } = await settleGroup(storage, group, (state) => {
    if (memberId !== undefined) {
      if (!state.isMember(memberId)) unknownMember(group, memberId);
      if (request.generation !== state.generation) illegalGeneration(group, request.generation!, state.generation);
    }
    return state;
  });
  const topics = new Map<string, TopicItem>();
  for (const name of new Set(request.offsets.map((o) => o.topic))) topics.set(name, await requireTopic(storage, name));
  for (const o of request.offsets) {
    const topic = topics.get(o.topic)!;
    if (o.partition >= topic.partitions) {
      throw new StreambedError('UNKNOWN_TOPIC_OR_PARTITION', `topic "${topic.name}" has partitions 0 to ${topic.partitions - 1}; partition ${o.partition} does not exist`);
    }
  }
  if (request.offsets.length === 0) return;
  if (!hasOffsets) {
    await storage.groups.addToDirectory(group);
    await storage.groups.markHasOffsets(group);
  }

  const deadline = Date.now() + GROUP_LIMITS.updateBudgetMs;
  let pending = [...request.offsets];
  while (pending.length > 0) {
    const refused: OffsetCommit[] = [];
    const committedAt = Date.now();
    await forEachLimited(pending, COMMIT_CONCURRENCY, async (o) => {
      const item: OffsetItem = {
        topic: o.topic,
        partition: o.partition,
        offset: o.offset,
        metadata: o.metadata ?? null,
        generation,
        topicId: topics.get(o.topic)!.topicId,
        memberId,
        committedAt,
      };
      if (!(await storage.groups.commitOffset(group, item))) refused.push(o);
    });
    if (refused.length === 0) return;
    // A commit made under a newer generation is already stored: the group rebalanced since.
    const current = (await storage.groups.read(group)).meta?.generation ?? generation;
    if (memberId !== undefined) illegalGeneration(group, generation, current, refused[0]);
    // A standalone commit has no generation of its own: it is ordered after what is stored.
    if (current <= generation || Date.now() > deadline) {
      throw new StreambedError('UNAVAILABLE', `group "${group}": the commit kept losing races with member commits; retry`);
    }
    generation = current;
    hasOffsets = true;
    pending = refused;
  }
}

/** One row per partition of `topic` (or of every topic with a commit in the group), with lag. */
export async function fetchOffsets(storage: Storage, group: string, topic?: string): Promise<OffsetRow[]> {
  validateGroupName(group);
  const topics: TopicItem[] = [];
  if (topic !== undefined) {
    topics.push(await requireTopic(storage, topic));
  } else {
    const names = [...new Set((await storage.groups.offsets(group)).map((o) => o.topic))].sort();
    for (const name of names) {
      const t = await storage.topics.get(name);
      if (t) topics.push(t);
    }
  }
  const rows: OffsetRow[] = [];
  for (const t of topics) {
    const [partitions, committed] = await Promise.all([describePartitions(storage, t), storage.groups.offsets(group, t.name)]);
    // A commit to an earlier topic of the same name (deleted since) does not count.
    const byPartition = new Map(committed.filter((o) => o.topicId === t.topicId).map((o) => [o.partition, o]));
    for (const p of partitions) {
      const c = byPartition.get(p.partition);
      rows.push({
        topic: t.name,
        partition: p.partition,
        offset: c ? c.offset : null,
        metadata: c ? c.metadata ?? null : null,
        highWatermark: p.highWatermark,
        lag: Math.max(0, p.highWatermark - (c ? c.offset : p.logStartOffset)),
      });
    }
  }
  return rows;
}

function validateCommits(offsets: readonly OffsetCommit[]): void {
  const seen = new Set<string>();
  offsets.forEach((o, i) => {
    validateTopicName(o.topic);
    if (!Number.isSafeInteger(o.offset) || o.offset < 0) {
      throw new StreambedError('INVALID_OFFSET', `offsets[${i}].offset must be a non-negative integer (the next offset to read), got ${JSON.stringify(o.offset)}`);
    }
    if (!Number.isSafeInteger(o.partition) || o.partition < 0) {
      throw new StreambedError('INVALID_REQUEST', `offsets[${i}].partition must be a non-negative integer, got ${JSON.stringify(o.partition)}`);
    }
    if (o.metadata != null && Buffer.byteLength(o.metadata) > GROUP_LIMITS.maxMetadataBytes) {
      throw new StreambedError('INVALID_REQUEST', `offsets[${i}].metadata is over ${GROUP_LIMITS.maxMetadataBytes} bytes`);
    }
    const k = `${o.topic}#${o.partition}`;
    if (seen.has(k)) throw new StreambedError('INVALID_REQUEST', `offsets[${i}]: ${o.topic}/${o.partition} appears twice in one commit`);
    seen.add(k);
  });
}

function illegalGeneration(group: string, sent: number, current: number, tp?: OffsetCommit): never {
  const where = tp ? ` (${tp.topic}/${tp.partition} has a commit from a newer generation)` : '';
  throw new StreambedError(
    'ILLEGAL_GENERATION',
    `generation ${sent} is not group "${group}"'s current generation ${current}${where}; heartbeat to get the current generation and assignment, then commit again`,
  );
}

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(workers);
}
