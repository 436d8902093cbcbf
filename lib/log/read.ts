/**
 * Reading a partition by offset: the leader record gives the high watermark (every offset below it
 * is committed), the offset index gives the segments, S3 gives the bytes (ranged GETs inside
 * multi-batch segments), and the record batch codec patches offsets on the way out.
 */
import { StreambedError } from '../errors';
import { decodeBatches, type DecodedRecord } from '../protocol';
import type { LeaderRecord, SegmentRef, Storage, TopicItem } from '../storage';
import { waitForCommit } from './notifier';

export interface ReadLimits {
  readonly maxRecords: number;
  readonly maxBytes: number;
}

export interface ReadResult {
  readonly records: DecodedRecord[];
  readonly nextOffset: number;
  readonly highWatermark: number;
  readonly logStartOffset: number;
}

/** Index entries looked up per fetch beyond the first; a fetch rarely needs more. */
const INDEX_PAGE = 32;
/** Segment GETs in flight at once per fetch. */
const GET_CONCURRENCY = 4;

export function recordSize(r: DecodedRecord): number {
  let n = (r.key?.length ?? 0) + (r.value?.length ?? 0);
  for (const h of r.headers) n += Buffer.byteLength(h.key) + (h.value?.length ?? 0);
  return n;
}

/** The partition's leader record, or an empty one if the partition was never written. */
export async function leaderState(storage: Storage, topic: TopicItem, partition: number): Promise<LeaderRecord> {
  return (
    (await storage.leaders.get(topic.topicId, partition)) ?? {
      topicId: topic.topicId,
      partition,
      logStartOffset: 0,
      logEndOffset: 0,
      leaderEpoch: 0,
      updatedAt: 0,
    }
  );
}

export function checkOffsetInRange(topic: TopicItem, partition: number, leader: LeaderRecord, offset: number): void {
  if (offset < leader.logStartOffset || offset > leader.logEndOffset) {
    throw new StreambedError(
      'OFFSET_OUT_OF_RANGE',
      `offset ${offset} is outside ${topic.name}/${partition}'s log [${leader.logStartOffset}, ${leader.logEndOffset}]; ` +
        `fetch from an offset in that range (see /offsets?at=earliest|latest)`,
    );
  }
}

/**
 * Waits until the partition's high watermark passes `offset` or `waitMs` runs out, and returns
 * the freshest leader record seen.
 */
export async function waitForData(
  storage: Storage,
  topic: TopicItem,
  partition: number,
  offset: number,
  waitMs: number,
): Promise<LeaderRecord> {
  const deadline = Date.now() + waitMs;
  let leader = await leaderState(storage, topic, partition);
  let pollMs = 50;
  while (leader.logEndOffset <= offset && Date.now() < deadline) {
    await waitForCommit(topic.topicId, partition, Math.min(pollMs, deadline - Date.now()));
    pollMs = Math.min(pollMs * 2, 1000);
    leader = await leaderState(storage, topic, partition);
  }
  return leader;
}

/** Reads records from `offset` (which must be within [logStart, highWatermark]). */
export async function readRecords(
  storage: Storage,
  topic: TopicItem,
  partition: number,
  leader: LeaderRecord,
  offset: number,
  limits: ReadLimits,
): Promise<ReadResult> {
  checkOffsetInRange(topic, partition, leader, offset);
  const base = { highWatermark: leader.logEndOffset, logStartOffset: leader.logStartOffset };
  if (offset === leader.logEndOffset) return { records: [], nextOffset: offset, ...base };

  const refs = await locateSegments(storage, leader, offset, limits);
  const records: DecodedRecord[] = [];
  let bytes = 0;
  let done = false;
  for (let i = 0; i < refs.length && !done; i += GET_CONCURRENCY) {
    const group = refs.slice(i, i + GET_CONCURRENCY);
    const decoded = await Promise.all(group.map((ref) => readSegment(storage, ref, offset, limits.maxBytes)));
    for (const segmentRecords of decoded) {
      for (const r of segmentRecords) {
        // Below the next offset due: before the fetch offset, or already read from an earlier
        // segment whose range this one overlaps (only if two maintenance runs ever raced).
        const due = records.length > 0 ? records[records.length - 1].offset + 1 : offset;
        if (r.offset < due || r.offset >= leader.logEndOffset) continue;
        const size = recordSize(r);
        if (records.length >= limits.maxRecords || (records.length > 0 && bytes + size > limits.maxBytes)) {
          done = true;
          break;
        }
        records.push(r);
        bytes += size;
      }
      if (done) break;
    }
  }
  const nextOffset = records.length > 0 ? records[records.length - 1].offset + 1 : offset;
  return { records, nextOffset, ...base };
}

/**
 * The segments covering [offset, …) in order, contiguous, as many as the limits may need. The
 * newest commit is taken from the leader record when its index entry is missing, and written to
 * the index on the way (roll-forward).
 */
async function locateSegments(storage: Storage, leader: LeaderRecord, offset: number, limits: ReadLimits): Promise<SegmentRef[]> {
  // The two index queries below run in parallel, so they can straddle a step of a maintenance
  // swap (docs/maintenance.md): the floor query sees an entry the other query no longer does, and
  // the chain breaks. Such a hole is gone when looked up again. One that stays is retention's (the
  // offset is now below the log start: 416) or a bug (503).
  for (let attempt = 1; ; attempt++) {
    const chosen = await locateSegmentsOnce(storage, leader, offset, limits);
    if (chosen.length > 0) return chosen;
    if (attempt >= LOCATE_ATTEMPTS) {
      // Retention may have moved the log start past `offset` since `leader` was read.
      const now = await storage.leaders.get(leader.topicId, leader.partition);
      if (now && offset < now.logStartOffset) {
        throw new StreambedError(
          'OFFSET_OUT_OF_RANGE',
          `offset ${offset} is below partition ${leader.partition}'s log start offset ${now.logStartOffset} (retention removed it); fetch from an offset in [${now.logStartOffset}, ${now.logEndOffset}]`,
        );
      }
      throw new StreambedError('UNAVAILABLE', `offset index of partition ${leader.partition} has no segment at offset ${offset}; retry`);
    }
  }
}

/** Lookups of the index per fetch before a hole at the fetch offset is reported. */
const LOCATE_ATTEMPTS = 3;

/** The contiguous segments from `offset` on, up to the first hole (none when the hole is at `offset`). */
async function locateSegmentsOnce(storage: Storage, leader: LeaderRecord, offset: number, limits: ReadLimits): Promise<SegmentRef[]> {
  const { topicId, partition } = leader;
  const [floor, after] = await Promise.all([
    storage.index.floor(topicId, partition, offset),
    storage.index.after(topicId, partition, offset, INDEX_PAGE),
  ]);
  const refs: SegmentRef[] = [];
  if (floor && floor.baseOffset + floor.count > offset) refs.push(floor);
  refs.push(...after);
  const last = leader.lastCommit;
  if (last && last.baseOffset + last.count > offset && after.length < INDEX_PAGE && !refs.some((r) => r.baseOffset === last.baseOffset)) {
    await storage.index.putIfAbsent(topicId, partition, last);
    refs.push(last);
  }
  refs.sort((a, b) => a.baseOffset - b.baseOffset);

  const chosen: SegmentRef[] = [];
  let expected = offset;
  let budgetBytes = 0;
  let budgetRecords = 0;
  for (const ref of refs) {
    if (ref.baseOffset >= leader.logEndOffset) break;
    // Already covered by an earlier (e.g. merged) entry: an index swap may be under way.
    if (ref.baseOffset + ref.count <= expected) continue;
    const contains = ref.baseOffset <= expected && ref.baseOffset + ref.count > expected;
    // A hole after some segments: serve those; the next fetch starts at the hole and looks again.
    if (!contains) break;
    chosen.push(ref);
    budgetRecords += ref.baseOffset + ref.count - expected;
    budgetBytes += ref.bytes;
    expected = ref.baseOffset + ref.count;
    if (budgetRecords >= limits.maxRecords || budgetBytes >= limits.maxBytes) break;
  }
  return chosen;
}

/** GETs (a range of) one segment object and decodes it with absolute offsets. */
async function readSegment(storage: Storage, ref: SegmentRef, offset: number, maxBytes: number): Promise<DecodedRecord[]> {
  let range: { start: number; end: number } | undefined;
  if (ref.batches && ref.batches.length > 1) {
    const rel = Math.max(0, offset - ref.baseOffset);
    let first = 0;
    for (let i = 0; i < ref.batches.length; i++) if (ref.batches[i][0] <= rel) first = i;
    const start = ref.batches[first][1];
    let end = ref.bytes - 1;
    for (let i = first + 1; i < ref.batches.length; i++) {
      if (ref.batches[i][1] - start >= maxBytes) {
        end = ref.batches[i][1] - 1;
        break;
      }
    }
    if (start > 0 || end < ref.bytes - 1) range = { start, end };
  }
  const bytes = await storage.segments.getSegment(ref.key, range);
  const batches = await decodeBatches(bytes, { offsetDelta: ref.baseOffset });
  return batches.flatMap((b) => b.records);
}
