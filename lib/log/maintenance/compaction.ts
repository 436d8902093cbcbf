/**
 * Segment compaction: runs of small adjacent segments become one object, so a partition has fewer
 * S3 objects and a fetch fewer GETs. The swap, for a run e1..ek (docs/maintenance.md walks through
 * what a reader sees in each state):
 *
 *   0. GET e1..ek, check and concatenate their batches (rebased), PUT the merged object M.
 *      Nothing refers to M: readers see the original index.
 *   1. Replace e1's entry by M's (same base offset), on condition that it still points at e1's
 *      object. M covers e1..ek; readers skip e2..ek as covered, or (starting inside ei) read ei.
 *   2. Delete e2..ek's entries in ascending order, each on condition that it still points at its
 *      object. At every step an offset is held by M or by its own untouched entry.
 *   3. Schedule e1..ek's objects for deletion after the deletion delay (reads holding old entries
 *      finish first).
 *
 * Never touched: the leader's `lastCommit` entry (a late roll-forward could write it back) and
 * every entry whose successor was committed less than compactionMinAgeMs ago (an append or read
 * holding an older leader record could roll such an entry forward again). A crash after step 1
 * leaves covered entries; the next pass removes them first.
 */
import type { LeaderRecord, SegmentRef, Storage } from '../../storage';
import type { SegmentChain } from './chain';
import type { MaintenanceConfig } from './config';
import { scheduleDeletions } from './deletions';
import { mergeSegments, type MergePart } from './merge';

/** At most this many segments go into one merged object (GETs per merge). */
export const MAX_SEGMENTS_PER_MERGE = 1000;
/** GETs in flight while reading a run. */
const GET_CONCURRENCY = 4;

/** Runs of ≥ 2 adjacent small segments, each run at most compactionTargetBytes. */
export function planCompaction(chain: SegmentChain, leader: LeaderRecord, config: MaintenanceConfig, now: number): SegmentRef[][] {
  const last = leader.lastCommit;
  if (!last || chain.problem) return [];
  const segs = chain.segments;
  const runs: SegmentRef[][] = [];
  let run: SegmentRef[] = [];
  let runBytes = 0;
  const close = (): void => {
    if (run.length >= 2) runs.push(run);
    run = [];
    runBytes = 0;
  };
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    const next = segs[i + 1];
    const eligible =
      next !== undefined &&
      s.baseOffset >= leader.logStartOffset &&
      s.baseOffset + s.count <= last.baseOffset &&
      s.bytes < config.compactionSmallBytes &&
      next.committedAt <= now - config.compactionMinAgeMs;
    if (!eligible) {
      close();
      continue;
    }
    if (runBytes + s.bytes > config.compactionTargetBytes || run.length >= MAX_SEGMENTS_PER_MERGE) close();
    run.push(s);
    runBytes += s.bytes;
  }
  close();
  return runs;
}

export interface CompactionResult {
  readonly merges: number;
  readonly segmentsMerged: number;
  readonly bytesWritten: number;
  /** Covered entries (left by an interrupted swap) removed. */
  readonly coveredRemoved: number;
  /** Runs left for a later pass (budget spent, or a swap lost its condition). */
  readonly deferred: number;
}

export async function compactPartition(
  storage: Storage,
  config: MaintenanceConfig,
  topic: { readonly name: string; readonly topicId: string },
  partition: number,
  leader: LeaderRecord,
  chain: SegmentChain,
  inBudget: () => boolean,
): Promise<CompactionResult> {
  const { topicId } = topic;
  let coveredRemoved = 0;
  if (!chain.problem && chain.covered.length > 0) {
    const removed: SegmentRef[] = [];
    for (const e of [...chain.covered].sort((a, b) => a.baseOffset - b.baseOffset)) {
      if (e.key === leader.lastCommit?.key) continue;
      if (await storage.index.deleteIfKey(topicId, partition, e.baseOffset, e.key)) removed.push(e);
    }
    await scheduleDeletions(storage, config, topicId, partition, removed, 'cleanup');
    coveredRemoved = removed.length;
    if (removed.length > 0) config.log({ event: 'covered-entries-removed', topic: topic.name, topicId, partition, entries: removed.length });
  }

  const runs = planCompaction(chain, leader, config, config.clock());
  let merges = 0;
  let segmentsMerged = 0;
  let bytesWritten = 0;
  for (const run of runs) {
    if (!inBudget()) break;
    const parts = await readParts(storage, run);
    const merged = mergeSegments(parts, config.indexIntervalBytes);
    const key = await storage.segments.putSegment(topicId, partition, merged.bytes);
    const ref: SegmentRef = { ...merged.ref, key };
    if (!(await storage.index.replaceIfKey(topicId, partition, ref, run[0].key))) {
      // The entry changed under us (another run): M was never referenced, so it can go now.
      await storage.segments.deleteKeys([key]);
      config.log({ level: 'warn', event: 'compaction-abandoned', topic: topic.name, topicId, partition, baseOffset: run[0].baseOffset });
      break;
    }
    for (const e of run.slice(1)) {
      if (!(await storage.index.deleteIfKey(topicId, partition, e.baseOffset, e.key))) {
        config.log({ level: 'warn', event: 'compaction-entry-changed', topic: topic.name, topicId, partition, baseOffset: e.baseOffset });
      }
    }
    await scheduleDeletions(storage, config, topicId, partition, run, 'compaction');
    merges += 1;
    segmentsMerged += run.length;
    bytesWritten += merged.bytes.length;
    config.log({
      event: 'compaction',
      topic: topic.name,
      topicId,
      partition,
      baseOffset: ref.baseOffset,
      records: ref.count,
      segments: run.length,
      batches: merged.batchCount,
      bytes: merged.bytes.length,
      key,
    });
  }
  return { merges, segmentsMerged, bytesWritten, coveredRemoved, deferred: runs.length - merges };
}

async function readParts(storage: Storage, run: readonly SegmentRef[]): Promise<MergePart[]> {
  const parts: MergePart[] = new Array(run.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < run.length; i = next++) parts[i] = { ref: run[i], bytes: await storage.segments.getSegment(run[i].key) };
  };
  await Promise.all(Array.from({ length: Math.min(GET_CONCURRENCY, run.length) }, worker));
  return parts;
}
