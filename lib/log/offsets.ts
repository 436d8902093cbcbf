/** ListOffsets: earliest, latest, or the first offset whose timestamp is at or after a time. */
import { decodeBatches } from '../protocol';
import type { SegmentRef, Storage, TopicItem } from '../storage';
import { leaderState } from './read';

export type OffsetSpec = 'earliest' | 'latest' | { readonly timestamp: number };

const PAGE = 100;

export async function listOffset(storage: Storage, topic: TopicItem, partition: number, at: OffsetSpec): Promise<number> {
  const leader = await leaderState(storage, topic, partition);
  if (at === 'earliest') return leader.logStartOffset;
  if (at === 'latest') return leader.logEndOffset;
  // Record timestamps are producer-chosen (CreateTime) and need not grow with offsets: the answer
  // is the first offset in offset order whose timestamp is ≥ the target, found through the
  // per-segment maxTimestamp of the index and then a scan of that one segment.
  let from = leader.logStartOffset - 1;
  const seen = new Set<number>();
  for (;;) {
    const page = await storage.index.after(topic.topicId, partition, from, PAGE);
    let candidates: SegmentRef[] = page;
    if (page.length < PAGE && leader.lastCommit && !page.some((r) => r.baseOffset === leader.lastCommit!.baseOffset)) {
      candidates = [...page, leader.lastCommit];
    }
    for (const ref of candidates) {
      if (seen.has(ref.baseOffset) || ref.baseOffset >= leader.logEndOffset) continue;
      seen.add(ref.baseOffset);
      if (ref.baseOffset + ref.count <= leader.logStartOffset || ref.maxTimestamp < at.timestamp) continue;
      const bytes = await storage.segments.getSegment(ref.key);
      for (const batch of await decodeBatches(bytes, { offsetDelta: ref.baseOffset })) {
        for (const r of batch.records) {
          if (r.offset >= leader.logStartOffset && r.offset < leader.logEndOffset && r.timestamp >= at.timestamp) return r.offset;
        }
      }
    }
    if (page.length < PAGE) return leader.logEndOffset;
    from = page[page.length - 1].baseOffset;
  }
}
