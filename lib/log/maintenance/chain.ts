/**
 * The shape of a partition's offset index as maintenance sees it: the chain of segments that
 * covers [logStartOffset, logEndOffset) end to end, the entries already covered by an earlier one
 * (left by an interrupted compaction swap), and the entries wholly below the log start offset
 * (left for retention to remove). Pure: no I/O.
 */
import type { LeaderRecord, SegmentRef } from '../../storage';

export interface SegmentChain {
  /** Contiguous from the segment holding logStartOffset to logEndOffset; the last is `lastCommit`. */
  readonly segments: readonly SegmentRef[];
  /** Entries inside the range of an earlier entry of the chain. */
  readonly covered: readonly SegmentRef[];
  /** Entries ending at or before logStartOffset. */
  readonly belowStart: readonly SegmentRef[];
  /**
   * Set when the index is not what the protocol allows (a hole, or two entries that overlap only
   * partly): maintenance then leaves the partition as it is and reports it.
   */
  readonly problem?: string;
}

/**
 * Builds the chain from `entries` (in base offset order, as the index returns them) and the leader
 * record read BEFORE them. Entries at or past the leader's logEndOffset (commits that landed after
 * the leader was read) are left out; `lastCommit` stands in for its index entry when that is not
 * written yet.
 */
export function segmentChain(leader: LeaderRecord, entries: readonly SegmentRef[]): SegmentChain {
  const start = leader.logStartOffset;
  const end = leader.logEndOffset;
  const segments: SegmentRef[] = [];
  const covered: SegmentRef[] = [];
  const belowStart: SegmentRef[] = [];
  let problem: string | undefined;
  let reached = start;
  const last = leader.lastCommit;
  const candidates = [...entries];
  if (last && last.baseOffset < end && !entries.some((e) => e.baseOffset === last.baseOffset)) candidates.push(last);
  candidates.sort((a, b) => a.baseOffset - b.baseOffset);

  for (const e of candidates) {
    const entryEnd = e.baseOffset + e.count;
    if (e.baseOffset >= end) break;
    if (entryEnd <= start) {
      belowStart.push(e);
      continue;
    }
    if (segments.length > 0 && entryEnd <= reached) {
      covered.push(e);
      continue;
    }
    const holds = e.baseOffset <= reached && entryEnd > reached;
    if (!holds || (segments.length > 0 && e.baseOffset !== reached)) {
      problem ??=
        e.baseOffset > reached
          ? `no index entry holds offset ${reached} (next entry starts at ${e.baseOffset})`
          : `entry at ${e.baseOffset} (${e.count} records) overlaps the entry before it only in part (it ends at ${reached})`;
      break;
    }
    segments.push(e);
    reached = entryEnd;
  }
  if (!problem && reached < end) problem = `the index ends at offset ${reached}, before the high watermark ${end}`;
  return { segments, covered, belowStart, problem };
}
