/**
 * Segment compaction against the emulators: the same records at the same offsets before, during
 * (every intermediate state of the swap, and a read whose two index queries straddle a step) and
 * after; fewer objects; the last commit's entry untouched; old objects deleted only after the
 * deletion delay (and never by the orphan collector before that); an interrupted swap repaired.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendRecords, createTopic, leaderState, readRecords } from '../../../lib/log';
import { runMaintenance, type MaintenanceEvent } from '../../../lib/log/maintenance';
import type { CompressionType } from '../../../lib/protocol';
import type { SegmentRef, Storage, TopicItem } from '../../../lib/storage';
import { emulatedStorage, type EmulatedStorage } from '../../helpers/emulated-storage';
import { uniqueTopic } from '../../helpers/http';
import {
  expectReadsFromEveryOffset,
  objectKeys,
  override,
  readAll,
  records,
  testClock,
  testConfig,
  type ReadBack,
} from './fixtures';

let env: EmulatedStorage;
let storage: Storage;
beforeAll(async () => {
  env = await emulatedStorage();
  storage = env.storage;
});
afterAll(async () => env?.stop());

const forever = { 'retention.ms': -1 };

/** A topic with `segments` appends of 1–3 records each; returns it and everything it holds. */
async function smallSegments(prefix: string, segments: number, compression: CompressionType = 'none'): Promise<{ topic: TopicItem; all: ReadBack[] }> {
  const topic = await createTopic(storage, { name: uniqueTopic(prefix), partitions: 1, config: { ...forever, 'compression.type': compression } });
  for (let i = 0; i < segments; i++) {
    const n = 1 + (i % 3);
    await appendRecords(storage, topic, 0, records(Array.from({ length: n }, (_, j) => `s${i}-r${j}`), Date.now() - 1000 + i));
  }
  return { topic, all: await readAll(storage, topic) };
}

describe('compaction', () => {
  it.each<CompressionType>(['none', 'gzip', 'zstd'])('merges small segments into one object, records and offsets unchanged (%s)', async (compression) => {
    const { topic, all } = await smallSegments(`cmp-${compression}`, 8, compression);
    expect(all).toHaveLength(1 + 2 + 3 + 1 + 2 + 3 + 1 + 2);
    const lastBefore = (await leaderState(storage, topic, 0)).lastCommit!;
    const entryOfLast = await storage.index.get(topic.topicId, 0, lastBefore.baseOffset);
    expect(await objectKeys(storage, topic)).toHaveLength(8);

    const events: MaintenanceEvent[] = [];
    const report = await runMaintenance(storage, testConfig(testClock(), events));
    expect(report.errors).toBe(0);

    expect(await readAll(storage, topic)).toEqual(all);
    await expectReadsFromEveryOffset(storage, topic, all);
    const entries = await storage.index.list(topic.topicId, 0);
    expect(entries.map((e) => [e.baseOffset, e.count])).toEqual([
      [0, lastBefore.baseOffset],
      [lastBefore.baseOffset, lastBefore.count],
    ]);
    // The last commit's entry and object are exactly as the append left them.
    expect(await storage.index.get(topic.topicId, 0, lastBefore.baseOffset)).toEqual(entryOfLast);
    expect((await leaderState(storage, topic, 0)).lastCommit).toEqual(lastBefore);
    const keys = await objectKeys(storage, topic);
    expect(keys).toHaveLength(2);
    expect(keys).toContain(lastBefore.key);
    expect(events).toContainEqual(expect.objectContaining({ event: 'compaction', topicId: topic.topicId, segments: 7, records: lastBefore.baseOffset }));
  });

  it('reads every offset correctly in each intermediate state of the swap', async () => {
    const { topic, all } = await smallSegments('cmp-steps', 6);
    const states: string[] = [];
    const check = async (state: string): Promise<void> => {
      states.push(state);
      await expectReadsFromEveryOffset(storage, topic, all);
      expect(await readAll(storage, topic)).toEqual(all);
    };
    const own = (topicId: string) => topicId === topic.topicId;
    const stepping: Storage = {
      ...storage,
      segments: override(storage.segments, {
        putSegment: async (topicId, partition, bytes) => {
          const key = await storage.segments.putSegment(topicId, partition, bytes);
          if (own(topicId)) await check('merged object written, not referenced');
          return key;
        },
      }),
      index: override(storage.index, {
        replaceIfKey: async (topicId, partition, ref, expectedKey) => {
          const ok = await storage.index.replaceIfKey(topicId, partition, ref, expectedKey);
          if (own(topicId)) await check('first entry replaced by the merged one');
          return ok;
        },
        deleteIfKey: async (topicId, partition, baseOffset, expectedKey) => {
          const ok = await storage.index.deleteIfKey(topicId, partition, baseOffset, expectedKey);
          if (own(topicId)) await check(`covered entry ${baseOffset} deleted`);
          return ok;
        },
      }),
      maintenance: override(storage.maintenance, {
        scheduleDeletions: async (items) => {
          await storage.maintenance.scheduleDeletions(items);
          if (items.some((d) => own(d.topicId))) await check('old objects scheduled for deletion');
        },
      }),
    };
    const report = await runMaintenance(stepping, testConfig(testClock(), [], { deletionDelayMs: 60_000 }));
    expect(report.errors).toBe(0);
    expect(states).toEqual([
      'merged object written, not referenced',
      'first entry replaced by the merged one',
      ...[1, 3, 6, 7].map((b) => `covered entry ${b} deleted`),
      'old objects scheduled for deletion',
    ]);
    await check('after');
  });

  it('reads correctly when its two index queries straddle a step of the swap', async () => {
    const { topic, all } = await smallSegments('cmp-straddle', 6);
    // Entries: 0(1) 1(2) 3(3) 6(1) 7(2) 9(3, last commit). A fetch at offset 4 (inside entry 3):
    // its floor query sees entry 3, its "after" query runs once entries 3 and 6 are gone.
    let floorSeen!: () => void;
    const floorDone = new Promise<void>((r) => (floorSeen = r));
    let deletedSix!: () => void;
    const sixGone = new Promise<void>((r) => (deletedSix = r));
    let straddled = false;
    const reader: Storage = {
      ...storage,
      index: override(storage.index, {
        floor: async (...a) => {
          const r = await storage.index.floor(...a);
          floorSeen();
          return r;
        },
        after: async (...a) => {
          if (!straddled) {
            straddled = true;
            await sixGone;
          }
          return storage.index.after(...a);
        },
      }),
    };
    const compactor: Storage = {
      ...storage,
      index: override(storage.index, {
        deleteIfKey: async (topicId, partition, baseOffset, expectedKey) => {
          if (topicId === topic.topicId && baseOffset === 3) await floorDone;
          const ok = await storage.index.deleteIfKey(topicId, partition, baseOffset, expectedKey);
          if (topicId === topic.topicId && baseOffset === 6) deletedSix();
          return ok;
        },
      }),
    };
    const leader = await leaderState(storage, topic, 0);
    const read = readRecords(reader, topic, 0, leader, 4, { maxRecords: 100, maxBytes: 1 << 20 });
    const report = await runMaintenance(compactor, testConfig(testClock(), [], { deletionDelayMs: 60_000 }));
    expect(report.errors).toBe(0);
    const got = (await read).records.map((r) => ({ offset: r.offset, value: r.value?.toString() ?? '' }));
    expect(got.length).toBeGreaterThan(0);
    expect(got).toEqual(all.slice(4, 4 + got.length));
    expect(await readAll(storage, topic)).toEqual(all);
  });

  it('deletes the old objects only after the deletion delay, and the orphan collector leaves them alone until then', async () => {
    const { topic, all } = await smallSegments('cmp-delay', 5);
    const oldKeys = (await storage.index.list(topic.topicId, 0)).slice(0, 4).map((e) => e.key);
    const clock = testClock();
    const config = () => testConfig(clock, [], { deletionDelayMs: 3 * 3_600_000, orphanGraceMs: 3_600_000 });
    await runMaintenance(storage, config());
    expect(await storage.index.list(topic.topicId, 0)).toHaveLength(2);
    for (const k of oldKeys) expect(await objectKeys(storage, topic)).toContain(k);

    // Older than the orphan grace period and referenced by no entry, but waiting for their delay.
    clock.now += 2 * 3_600_000;
    await runMaintenance(storage, config());
    expect(await objectKeys(storage, topic)).toHaveLength(6);
    expect(await readAll(storage, topic)).toEqual(all);

    clock.now += 3_600_000 + 1_000;
    const report = await runMaintenance(storage, config());
    expect(report.deletions.deleted).toBeGreaterThanOrEqual(4);
    const keys = await objectKeys(storage, topic);
    expect(keys).toHaveLength(2);
    for (const k of oldKeys) expect(keys).not.toContain(k);
    expect(await readAll(storage, topic)).toEqual(all);
  });

  it('finishes a swap cut short: covered entries are removed by the next run', async () => {
    const { topic, all } = await smallSegments('cmp-crash', 5);
    const crashing: Storage = {
      ...storage,
      index: override(storage.index, {
        deleteIfKey: async (topicId, partition, baseOffset, expectedKey) => {
          if (topicId === topic.topicId && baseOffset > 1) throw new Error('crash in the middle of the swap');
          return storage.index.deleteIfKey(topicId, partition, baseOffset, expectedKey);
        },
      }),
    };
    const first = await runMaintenance(crashing, testConfig(testClock(), []));
    expect(first.errors).toBe(1);
    const entries = await storage.index.list(topic.topicId, 0);
    expect(entries.map((e) => e.baseOffset)).toEqual([0, 3, 6, 7]);
    expect(entries[0].count).toBe(7);
    expect(await readAll(storage, topic)).toEqual(all);

    const events: MaintenanceEvent[] = [];
    const second = await runMaintenance(storage, testConfig(testClock(), events));
    expect(second.errors).toBe(0);
    expect(second.compaction.coveredRemoved).toBe(2);
    expect((await storage.index.list(topic.topicId, 0)).map((e) => e.baseOffset)).toEqual([0, 7]);
    expect(await readAll(storage, topic)).toEqual(all);
    await expectReadsFromEveryOffset(storage, topic, all);
    // The originals of the cut-short swap: two were scheduled by the cleanup, the rest are orphans.
    const later = testClock();
    later.now += 2 * 3_600_000;
    await runMaintenance(storage, testConfig(later, []));
    expect(await objectKeys(storage, topic)).toHaveLength(2);
    expect(await readAll(storage, topic)).toEqual(all);
  });

  it('leaves segments alone until their successor is older than compactionMinAgeMs', async () => {
    const { topic } = await smallSegments('cmp-young', 4);
    const clock = testClock();
    const config = () => testConfig(clock, [], { compactionMinAgeMs: 60_000 });
    await runMaintenance(storage, config());
    expect(await storage.index.list(topic.topicId, 0)).toHaveLength(4);
    clock.now += 61_000;
    await runMaintenance(storage, config());
    expect(await storage.index.list(topic.topicId, 0)).toHaveLength(2);
  });

  it('keeps sparse byte positions in a merged entry, so a read inside it is a ranged GET', async () => {
    const topic = await createTopic(storage, { name: uniqueTopic('cmp-ranged'), partitions: 1, config: forever });
    for (let i = 0; i < 9; i++) {
      await appendRecords(storage, topic, 0, [{ key: null, value: Buffer.alloc(100_000, 97 + i), headers: [], timestamp: Date.now() }]);
    }
    await runMaintenance(storage, testConfig(testClock(), []));
    const merged = (await storage.index.list(topic.topicId, 0))[0] as SegmentRef;
    expect(merged.count).toBe(8);
    expect(merged.batches?.length).toBeGreaterThan(4);
    const ranges: Array<{ start: number; end: number } | undefined> = [];
    const counting: Storage = {
      ...storage,
      segments: override(storage.segments, {
        getSegment: (key, range) => {
          ranges.push(range);
          return storage.segments.getSegment(key, range);
        },
      }),
    };
    const leader = await leaderState(storage, topic, 0);
    const res = await readRecords(counting, topic, 0, leader, 6, { maxRecords: 1, maxBytes: 1 });
    expect(res.records.map((r) => [r.offset, r.value![0]])).toEqual([[6, 97 + 6]]);
    expect(ranges).toHaveLength(1);
    expect(ranges[0]).toBeDefined();
    expect(ranges[0]!.end - ranges[0]!.start).toBeLessThan(300_000);
  });
});
