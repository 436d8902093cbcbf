/**
 * The pure parts of the maintenance job: the chain of an index, what retention and compaction
 * decide from it, and merging segment bytes (checked by decoding the result).
 */
import { describe, expect, it } from 'vitest';
import { maintenanceConfig, mergeSegments, planCompaction, planRetention, segmentChain } from '../../../lib/log/maintenance';
import { decodeBatches, encodeSegment } from '../../../lib/protocol';
import type { LeaderRecord, SegmentRef, TopicConfig } from '../../../lib/storage';

const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;

function ref(baseOffset: number, count: number, extra: Partial<SegmentRef> = {}): SegmentRef {
  return {
    baseOffset,
    count,
    key: `k${baseOffset}`,
    bytes: 100,
    minTimestamp: NOW,
    maxTimestamp: NOW,
    leaderEpoch: 0,
    committedAt: NOW - 10 * HOUR + baseOffset,
    ...extra,
  };
}

function leader(entries: SegmentRef[], logStartOffset = 0): LeaderRecord {
  const last = entries[entries.length - 1];
  return { topicId: 't', partition: 0, logStartOffset, logEndOffset: last.baseOffset + last.count, leaderEpoch: 0, lastCommit: last, updatedAt: 0 };
}

const topicConfig = (c: Partial<TopicConfig>): TopicConfig => ({
  'retention.ms': -1,
  'retention.bytes': -1,
  'max.message.bytes': 1 << 20,
  'compression.type': 'none',
  ...c,
});

describe('segmentChain', () => {
  it('follows the entries end to end, setting aside covered ones and those below the log start', () => {
    const entries = [ref(0, 2), ref(2, 5), ref(3, 2), ref(5, 2), ref(7, 1)];
    const chain = segmentChain(leader(entries, 2), entries);
    expect(chain.problem).toBeUndefined();
    expect(chain.belowStart.map((e) => e.baseOffset)).toEqual([0]);
    expect(chain.segments.map((e) => e.baseOffset)).toEqual([2, 7]);
    expect(chain.covered.map((e) => e.baseOffset)).toEqual([3, 5]);
  });

  it('stands the last commit in for its missing entry, and leaves out entries past the leader read', () => {
    const entries = [ref(0, 2), ref(2, 1)];
    const l = leader([...entries, ref(3, 2)]);
    const chain = segmentChain(l, [...entries, ref(5, 1)]);
    expect(chain.problem).toBeUndefined();
    expect(chain.segments.map((e) => e.baseOffset)).toEqual([0, 2, 3]);
  });

  it('reports a hole and a partial overlap', () => {
    const hole = [ref(0, 2), ref(3, 1)];
    expect(segmentChain(leader(hole), hole).problem).toMatch(/no index entry holds offset 2/);
    const overlap = [ref(0, 3), ref(2, 2)];
    expect(segmentChain(leader(overlap), overlap).problem).toMatch(/overlaps/);
  });
});

describe('planRetention', () => {
  const entries = [
    ref(0, 2, { maxTimestamp: NOW - 5 * HOUR, bytes: 100 }),
    ref(2, 2, { maxTimestamp: NOW - 3 * HOUR, bytes: 200 }),
    ref(4, 2, { maxTimestamp: NOW - 1 * HOUR, bytes: 300 }),
    ref(6, 2, { maxTimestamp: NOW - 4 * HOUR, bytes: 400 }),
    ref(8, 1, { maxTimestamp: NOW - 9 * HOUR, bytes: 500 }),
  ];
  const l = leader(entries);
  const chain = segmentChain(l, entries);

  it('by time: the longest prefix of segments whose newest record is past retention.ms', () => {
    expect(planRetention(chain, l, topicConfig({ 'retention.ms': 2 * HOUR }), NOW)).toEqual({ logStartOffset: 4, reason: 'time', segments: 2, bytes: 300 });
    expect(planRetention(chain, l, topicConfig({ 'retention.ms': 10 * HOUR }), NOW)).toBeUndefined();
  });

  it('never the segment of the last commit', () => {
    expect(planRetention(chain, l, topicConfig({ 'retention.ms': 0 }), NOW)?.logStartOffset).toBe(8);
    expect(planRetention(chain, l, topicConfig({ 'retention.bytes': 0 }), NOW)?.logStartOffset).toBe(8);
  });

  it('by bytes: oldest segments while the rest stays at least retention.bytes', () => {
    // 1500 bytes in all: without 0 → 1400, without 1 → 1200, without 2 → 900.
    expect(planRetention(chain, l, topicConfig({ 'retention.bytes': 1200 }), NOW)).toEqual({ logStartOffset: 4, reason: 'bytes', segments: 2, bytes: 300 });
    expect(planRetention(chain, l, topicConfig({ 'retention.bytes': 1401 }), NOW)).toBeUndefined();
  });

  it('-1 is no limit, and an earlier start is never planned', () => {
    expect(planRetention(chain, l, topicConfig({}), NOW)).toBeUndefined();
    const moved = { ...l, logStartOffset: 6 };
    expect(planRetention(segmentChain(moved, entries), moved, topicConfig({ 'retention.ms': 2 * HOUR }), NOW)?.logStartOffset).toBe(8);
    const atLast = { ...l, logStartOffset: 8 };
    expect(planRetention(segmentChain(atLast, entries), atLast, topicConfig({ 'retention.ms': 0 }), NOW)).toBeUndefined();
  });
});

describe('planCompaction', () => {
  const config = maintenanceConfig({ compactionTargetBytes: 350, compactionSmallBytes: 150, compactionMinAgeMs: HOUR }, {});

  it('groups adjacent small segments up to the target, at least two per run, never the last commit', () => {
    const entries = [ref(0, 1), ref(1, 1), ref(2, 1), ref(3, 1), ref(4, 1, { bytes: 200 }), ref(5, 1), ref(6, 1), ref(7, 1)];
    const l = leader(entries);
    const runs = planCompaction(segmentChain(l, entries), l, config, NOW);
    expect(runs.map((r) => r.map((e) => e.baseOffset))).toEqual([
      [0, 1, 2],
      [5, 6],
    ]);
  });

  it('leaves a segment whose successor was committed less than compactionMinAgeMs ago', () => {
    const entries = [ref(0, 1), ref(1, 1), ref(2, 1, { committedAt: NOW - 60_000 }), ref(3, 1)];
    const l = leader(entries);
    expect(planCompaction(segmentChain(l, entries), l, config, NOW).map((r) => r.map((e) => e.baseOffset))).toEqual([]);
    expect(planCompaction(segmentChain(l, entries), l, config, NOW + HOUR).map((r) => r.map((e) => e.baseOffset))).toEqual([[0, 1, 2]]);
  });
});

describe('mergeSegments', () => {
  it('concatenates rebased batches: decoding the merged object gives the same records at the same offsets', async () => {
    const parts = [];
    const expected: Array<[number, string]> = [];
    let base = 10;
    for (let i = 0; i < 4; i++) {
      const values = Array.from({ length: i + 1 }, (_, j) => `v${i}.${j}`);
      const seg = await encodeSegment(
        values.map((v) => ({ key: null, value: Buffer.from(v), headers: [], timestamp: NOW + i })),
        { compression: i % 2 ? 'gzip' : 'none', maxBatchBytes: 80 },
      );
      parts.push({ ref: ref(base, values.length, { bytes: seg.bytes.length, key: `k${i}`, minTimestamp: NOW + i, maxTimestamp: NOW + i }), bytes: seg.bytes });
      values.forEach((v, j) => expected.push([base + j, v]));
      base += values.length;
    }
    const merged = mergeSegments(parts, 1);
    expect(merged.ref).toMatchObject({ baseOffset: 10, count: 10, bytes: merged.bytes.length, minTimestamp: NOW, maxTimestamp: NOW + 3 });
    const decoded = (await decodeBatches(merged.bytes, { offsetDelta: 10 })).flatMap((b) => b.records);
    expect(decoded.map((r) => [r.offset, r.value?.toString()])).toEqual(expected);
    // Every batch boundary kept (interval 1 byte), each pointing at a batch that starts at that offset.
    expect(merged.ref.batches?.length).toBe(merged.batchCount);
    for (const [rel, pos] of merged.ref.batches!) {
      const [first] = await decodeBatches(merged.bytes.subarray(pos), { offsetDelta: 10 });
      expect(first.records[0].offset).toBe(10 + rel);
    }
  });

  it('refuses parts whose bytes disagree with their index entry', async () => {
    const seg = await encodeSegment([{ key: null, value: Buffer.from('x'), headers: [], timestamp: NOW }]);
    const good = { ref: ref(0, 1, { bytes: seg.bytes.length }), bytes: seg.bytes };
    expect(() => mergeSegments([good, { ref: ref(1, 2, { bytes: seg.bytes.length }), bytes: seg.bytes }], 1)).toThrow(/holds 1 records, its index entry says 2/);
    expect(() => mergeSegments([good, { ref: ref(2, 1, { bytes: seg.bytes.length }), bytes: seg.bytes }], 1)).toThrow(/does not follow/);
  });
});
