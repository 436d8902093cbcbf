/**
 * Reading several partitions at once for Upstash's fetch and consume: each partition from its own
 * offset, at most `maxRecords` messages in all, waiting up to `timeoutMs` (Upstash's `timeout`,
 * default 1000) when none of them has anything yet. The wait polls the partitions' leader records
 * (50 ms doubling to 1 s), like the /v1 long-poll does for one partition.
 */
import { StreambedError } from '../../errors';
import { readRecords, recordSize } from '../../log';
import { requestMetrics } from '../../observability';
import type { LeaderRecord, Storage, TopicItem } from '../../storage';
import { toMessage, type UpstashMessage } from './shapes';

export const UPSTASH_READ_LIMITS = {
  /** Kafka's max.poll.records default: messages one fetch or consume returns at most. */
  maxRecords: 500,
  /** Bytes read per partition per call; the whole answer stays under Lambda's 6 MB response. */
  maxBytesPerPartition: 1024 * 1024,
  maxBytes: 3 * 1024 * 1024,
  defaultTimeoutMs: 1000,
  /** Longest wait: the function must still answer inside API Gateway's 30 s. */
  maxTimeoutMs: 20_000,
  waitMarginMs: 3_000,
  concurrency: 8,
} as const;

export interface ReadPosition {
  readonly topic: TopicItem;
  readonly partition: number;
  readonly offset: number;
}

export interface PartitionRead {
  readonly position: ReadPosition;
  readonly messages: UpstashMessage[];
  /** The next offset to read after the messages returned. */
  readonly nextOffset: number;
}

export interface ReadOptions {
  readonly timeoutMs: number;
  readonly remainingTimeMs?: () => number;
  /** How an offset below the log start is treated: an error (fetch) or read from the log start (consume). */
  readonly belowStart: 'error' | 'clamp';
}

export async function readPartitions(storage: Storage, positions: readonly ReadPosition[], options: ReadOptions): Promise<PartitionRead[]> {
  let timeoutMs = Math.min(options.timeoutMs, UPSTASH_READ_LIMITS.maxTimeoutMs);
  if (options.remainingTimeMs) timeoutMs = Math.max(0, Math.min(timeoutMs, options.remainingTimeMs() - UPSTASH_READ_LIMITS.waitMarginMs));
  let leaders = await leadersOf(storage, positions);
  const deadline = Date.now() + timeoutMs;
  let pollMs = 50;
  while (!positions.some((p, i) => leaders[i].logEndOffset > p.offset) && Date.now() < deadline) {
    await sleep(Math.min(pollMs, deadline - Date.now()));
    pollMs = Math.min(pollMs * 2, 1000);
    leaders = await leadersOf(storage, positions);
  }

  let budget: number = UPSTASH_READ_LIMITS.maxRecords;
  let bytes = 0;
  const out: PartitionRead[] = [];
  // From a random first partition on (so a backlog on some partitions cannot starve the others
  // across calls), 8 at a time, each read only while the budget lasts (a later call continues).
  const first = positions.length > 0 ? Math.floor(Math.random() * positions.length) : 0;
  const order = positions.map((_, i) => (first + i) % positions.length);
  for (let i = 0; i < order.length; i += UPSTASH_READ_LIMITS.concurrency) {
    const slice = order.slice(i, i + UPSTASH_READ_LIMITS.concurrency);
    const share = Math.max(1, Math.floor(budget / slice.length));
    const reads = await Promise.all(slice.map((k) => readOne(storage, positions[k], leaders[k], budget > 0 ? share : 0, options)));
    for (const r of reads) {
      let kept = r.messages;
      if (kept.length > budget || bytes >= UPSTASH_READ_LIMITS.maxBytes) kept = kept.slice(0, bytes >= UPSTASH_READ_LIMITS.maxBytes ? 0 : budget);
      budget -= kept.length;
      bytes += r.bytes;
      const nextOffset = kept.length === r.messages.length ? r.nextOffset : kept.length > 0 ? kept[kept.length - 1].offset + 1 : r.position.offset;
      out.push({ position: r.position, messages: kept, nextOffset });
    }
  }
  const count = out.reduce((n, r) => n + r.messages.length, 0);
  requestMetrics().add('RecordsOut', count);
  return out;
}

async function readOne(
  storage: Storage,
  position: ReadPosition,
  leader: LeaderRecord,
  maxRecords: number,
  options: ReadOptions,
): Promise<PartitionRead & { bytes: number }> {
  const { topic, partition } = position;
  let offset = position.offset;
  if (offset < leader.logStartOffset) {
    if (options.belowStart === 'error') {
      throw new StreambedError(
        'OFFSET_OUT_OF_RANGE',
        `offset ${offset} of ${topic.name}/${partition} is below its log start offset ${leader.logStartOffset} (retention removed it); fetch from ${leader.logStartOffset} or later`,
      );
    }
    offset = leader.logStartOffset;
  }
  // Beyond the end: nothing yet (those offsets may come to exist).
  if (maxRecords === 0 || offset >= leader.logEndOffset) return { position, messages: [], nextOffset: offset, bytes: 0 };
  const result = await readRecords(storage, topic, partition, leader, offset, { maxRecords, maxBytes: UPSTASH_READ_LIMITS.maxBytesPerPartition });
  return {
    position,
    messages: result.records.map((r) => toMessage(topic.name, partition, r)),
    nextOffset: result.nextOffset,
    bytes: result.records.reduce((n, r) => n + recordSize(r), 0),
  };
}

/** The leader records of `positions`, one batch read per topic (a partition never written reads as empty). */
async function leadersOf(storage: Storage, positions: readonly ReadPosition[]): Promise<LeaderRecord[]> {
  const byTopic = new Map<string, { topic: TopicItem; partitions: number[] }>();
  for (const p of positions) {
    const entry = byTopic.get(p.topic.topicId) ?? { topic: p.topic, partitions: [] };
    entry.partitions.push(p.partition);
    byTopic.set(p.topic.topicId, entry);
  }
  const found = new Map<string, LeaderRecord>();
  await Promise.all(
    [...byTopic.values()].map(async ({ topic, partitions }) => {
      const leaders = await storage.leaders.getMany(topic.topicId, [...new Set(partitions)]);
      for (const [partition, leader] of leaders) found.set(`${topic.topicId}#${partition}`, leader);
    }),
  );
  return positions.map(
    (p) =>
      found.get(`${p.topic.topicId}#${p.partition}`) ?? { topicId: p.topic.topicId, partition: p.partition, logStartOffset: 0, logEndOffset: 0, leaderEpoch: 0, updatedAt: 0 },
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}
