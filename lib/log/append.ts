/**
 * The append protocol (docs/architecture.md, "Append"):
 *  1. encode the records as one segment object (base offset 0) and PUT it under a unique key;
 *  2. make sure the partition's previous commit is in the offset index (roll-forward), then commit
 *     with ONE conditional UpdateItem on the leader record: advance the log end offset by the record
 *     count and record this commit as `lastCommit`, on condition that the end offset and leader
 *     epoch are still the ones read. A lost race re-reads and retries the commit (the object needs
 *     no rewrite: offsets inside it are relative); a moved epoch means this writer was fenced;
 *  3. write the index entry. A crash between 2 and 3 leaves the entry to the next writer or reader.
 */
import { FencedError, StreambedError } from '../errors';
import { encodeSegment, type CompressionType, type RecordInput } from '../protocol';
import type { LeaderRecord, SegmentRef, Storage, TopicItem } from '../storage';
import { failpoint } from './failpoints';
import { checkProducer, type ProducerRequest } from './idempotence';
import { notifyCommit } from './notifier';
import { ensureIndexed } from './roll-forward';

export interface AppendResult {
  readonly baseOffset: number;
  readonly count: number;
  readonly leaderEpoch: number;
  /** True when an idempotent producer's retry was answered with the original offsets. */
  readonly duplicate?: boolean;
}

export interface AppendOptions {
  /** Give up on commit contention after this long (ms). */
  readonly commitTimeoutMs?: number;
  /** Idempotent producer: the batch is appended at most once per (id, epoch, sequence). */
  readonly producer?: ProducerRequest;
  /** Called each time the conditional commit loses a race (another writer committed first). */
  readonly onCommitConflict?: () => void;
}

const MAX_BATCH_BYTES = 1024 * 1024;

export async function appendRecords(
  storage: Storage,
  topic: TopicItem,
  partition: number,
  records: RecordInput[],
  options: AppendOptions = {},
): Promise<AppendResult> {
  if (records.length === 0) throw new StreambedError('INVALID_REQUEST', 'an append needs at least one record');
  const { topicId } = topic;
  const compression = topic.config['compression.type'] as CompressionType;
  const [segment, initial] = await Promise.all([
    encodeSegment(records, { compression, maxBatchBytes: MAX_BATCH_BYTES }),
    storage.leaders.ensure(topicId, partition),
  ]);
  const epoch = initial.leaderEpoch;
  const { producer } = options;
  // A retry of a batch already committed is answered before anything is written.
  if (producer) {
    const verdict = checkProducer(initial, producer, records.length, Date.now());
    if (verdict.kind === 'duplicate') return { baseOffset: verdict.baseOffset, count: records.length, leaderEpoch: epoch, duplicate: true };
  }
  const key = await storage.segments.putSegment(topicId, partition, segment.bytes);
  failpoint('append.after-segment-put');

  let minTimestamp = Infinity;
  let maxTimestamp = -Infinity;
  for (const r of records) {
    if (r.timestamp < minTimestamp) minTimestamp = r.timestamp;
    if (r.timestamp > maxTimestamp) maxTimestamp = r.timestamp;
  }
  const batches =
    segment.batches.length > 1 ? segment.batches.map((b) => [b.relativeOffset, b.position] as const) : undefined;

  const deadline = Date.now() + (options.commitTimeoutMs ?? 15_000);
  let leader: LeaderRecord = initial;
  for (let attempt = 0; ; attempt++) {
    if (leader.leaderEpoch !== epoch) {
      throw new FencedError(
        `partition ${topic.name}/${partition} moved to leader epoch ${leader.leaderEpoch} while this append held epoch ${epoch}; nothing was appended, retry`,
      );
    }
    // Re-checked on every attempt: a racing copy of the same batch may have committed meanwhile
    // (then this one's object stays an orphan and the original offsets are the answer).
    const verdict = producer ? checkProducer(leader, producer, records.length, Date.now()) : undefined;
    if (verdict?.kind === 'duplicate') return { baseOffset: verdict.baseOffset, count: records.length, leaderEpoch: epoch, duplicate: true };
    await ensureIndexed(storage, leader);
    const ref: SegmentRef = {
      baseOffset: leader.logEndOffset,
      count: records.length,
      key,
      bytes: segment.bytes.length,
      minTimestamp,
      maxTimestamp,
      batches,
      leaderEpoch: epoch,
      committedAt: Date.now(),
    };
    const expected = { logEndOffset: leader.logEndOffset, leaderEpoch: epoch, hasProducersMap: leader.producers !== undefined };
    const outcome = await storage.leaders.commit(topicId, partition, expected, ref, verdict?.update(ref.baseOffset));
    if (outcome === 'committed') return finish(storage, topicId, partition, ref);
    const next = await storage.leaders.get(topicId, partition);
    if (!next) throw new StreambedError('UNKNOWN_TOPIC_OR_PARTITION', `topic ${topic.name} was deleted during the append`);
    // A refusal can be this commit's own doing: applied on a first attempt whose response was
    // lost, then refused on the SDK's retry because it had moved the end offset itself. Committing
    // the object again would put the same records at two offsets (invariant 1).
    const applied = await findOwnCommit(storage, next, key, ref.baseOffset, outcome === 'uncertain');
    if (applied) return finish(storage, topicId, partition, applied);
    options.onCommitConflict?.();
    if (Date.now() > deadline) {
      throw new StreambedError('UNAVAILABLE', `commit to ${topic.name}/${partition} lost ${attempt + 1} races in a row; retry`);
    }
    await sleep(Math.random() * Math.min(50, 2 * 2 ** Math.min(attempt, 5)));
    leader = (await storage.leaders.get(topicId, partition)) ?? next;
  }
}

/** Step 3 of the protocol, for a commit known to be applied: index entry, wake-up, answer. */
async function finish(storage: Storage, topicId: string, partition: number, ref: SegmentRef): Promise<AppendResult> {
  failpoint('append.after-commit');
  await storage.index.putIfAbsent(topicId, partition, ref);
  ensureIndexed.remember(topicId, partition, ref.baseOffset);
  notifyCommit(topicId, partition);
  return { baseOffset: ref.baseOffset, count: ref.count, leaderEpoch: ref.leaderEpoch };
}

/**
 * The commit of object `key`, if it was applied at or after `from`: it is the leader's last commit,
 * or — when the refusal was uncertain — an index entry written since (a later writer indexes the
 * commit it replaces before replacing it, so an applied commit that is no longer the last one is
 * in the index).
 */
async function findOwnCommit(storage: Storage, leader: LeaderRecord, key: string, from: number, uncertain: boolean): Promise<SegmentRef | undefined> {
  if (leader.lastCommit?.key === key) return leader.lastCommit;
  if (!uncertain || leader.logEndOffset <= from) return undefined;
  const entries = await storage.index.after(leader.topicId, leader.partition, from - 1, 100);
  return entries.find((e) => e.key === key && e.baseOffset < leader.logEndOffset);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
