/**
 * Retention: `retention.ms` and `retention.bytes` per topic, in whole segments, as Kafka does.
 *
 * 1. Plan: the longest prefix of the chain whose segments are all past retention — by time (every
 *    record older than retention.ms: the segment's maxTimestamp) or by size (the log stays at
 *    least retention.bytes without it) — never reaching the segment of the leader's `lastCommit`.
 * 2. Advance `logStartOffset` to the end of that prefix: one conditional write on the leader
 *    record (forward only, never past lastCommit's base offset). From then on fetches below it get
 *    416 OFFSET_OUT_OF_RANGE and `at=earliest` answers the new start.
 * 3. Remove the index entries wholly below the log start (ascending, each only if it still points
 *    at the object read), then schedule their objects for deletion after the deletion delay.
 *
 * A crash between the steps leaves entries below the log start: step 3 runs on every pass, not
 * only after an advance, and an object whose entry went but whose deletion was never scheduled
 * is an orphan for the garbage collector.
 */
import type { LeaderRecord, SegmentRef, Storage, TopicConfig } from '../../storage';
import type { SegmentChain } from './chain';
import type { MaintenanceConfig } from './config';
import { scheduleDeletions } from './deletions';

export interface RetentionPlan {
  readonly logStartOffset: number;
  readonly reason: 'time' | 'bytes';
  readonly segments: number;
  readonly bytes: number;
}

/** The new log start offset, or undefined when retention removes nothing. */
export function planRetention(chain: SegmentChain, leader: LeaderRecord, config: TopicConfig, now: number): RetentionPlan | undefined {
  const last = leader.lastCommit;
  if (!last || chain.problem) return undefined;
  const retentionMs = config['retention.ms'];
  const retentionBytes = config['retention.bytes'];
  let size = chain.segments.reduce((n, s) => n + s.bytes, 0);
  let timeOpen = retentionMs >= 0;
  let cut = -1;
  let reason: RetentionPlan['reason'] = 'time';
  for (let i = 0; i < chain.segments.length; i++) {
    const s = chain.segments[i];
    // The segment of the last commit stays: a late roll-forward may still write its index entry.
    if (s.baseOffset + s.count > last.baseOffset) break;
    timeOpen &&= s.maxTimestamp < now - retentionMs;
    const bySize = retentionBytes >= 0 && size - s.bytes >= retentionBytes;
    if (!timeOpen && !bySize) break;
    if (!timeOpen) reason = 'bytes';
    size -= s.bytes;
    cut = i;
  }
  if (cut < 0) return undefined;
  const removed = chain.segments.slice(0, cut + 1);
  const end = removed[removed.length - 1];
  const logStartOffset = end.baseOffset + end.count;
  if (logStartOffset <= leader.logStartOffset) return undefined;
  return { logStartOffset, reason, segments: removed.length, bytes: removed.reduce((n, s) => n + s.bytes, 0) };
}

export interface RetentionResult {
  /** The log start offset before and after (equal when nothing moved). */
  readonly from: number;
  readonly to: number;
  readonly entriesRemoved: number;
  readonly bytesScheduled: number;
}

export async function applyRetention(
  storage: Storage,
  config: MaintenanceConfig,
  topic: { readonly name: string; readonly topicId: string; readonly config: TopicConfig },
  partition: number,
  leader: LeaderRecord,
  chain: SegmentChain,
): Promise<RetentionResult> {
  const { topicId } = topic;
  const plan = planRetention(chain, leader, topic.config, config.clock());
  let start = leader.logStartOffset;
  let below: readonly SegmentRef[] = chain.belowStart;
  if (plan) {
    if (await storage.leaders.advanceLogStart(topicId, partition, plan.logStartOffset)) {
      start = plan.logStartOffset;
      config.log({
        event: 'retention',
        topic: topic.name,
        topicId,
        partition,
        reason: plan.reason,
        logStartOffset: { from: leader.logStartOffset, to: start },
        segments: plan.segments,
        bytes: plan.bytes,
      });
    } else {
      // Someone else moved it (another run), or the topic went: work from what is there now.
      start = (await storage.leaders.get(topicId, partition))?.logStartOffset ?? leader.logStartOffset;
    }
    below = [...chain.belowStart, ...chain.segments, ...chain.covered].filter((e) => e.baseOffset + e.count <= start);
  }
  const lastKey = leader.lastCommit?.key;
  const doomed = below.filter((e) => e.key !== lastKey).sort((a, b) => a.baseOffset - b.baseOffset);
  const removed: SegmentRef[] = [];
  for (const e of doomed) {
    if (await storage.index.deleteIfKey(topicId, partition, e.baseOffset, e.key)) removed.push(e);
  }
  await scheduleDeletions(storage, config, topicId, partition, removed, 'retention');
  return { from: leader.logStartOffset, to: start, entriesRemoved: removed.length, bytesScheduled: removed.reduce((n, e) => n + e.bytes, 0) };
}
