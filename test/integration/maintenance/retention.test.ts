/**
 * Retention against the emulators: by time and by bytes, in whole segments, never the segment of
 * the last commit; the log start offset moves first, then index entries and objects go; reads
 * below the new start get 416, `earliest` answers it, and reads from it on are unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStreambedError } from '../../../lib/errors';
import { appendRecords, createTopic, leaderState, listOffset, readRecords } from '../../../lib/log';
import { runMaintenance, type MaintenanceEvent } from '../../../lib/log/maintenance';
import { encodeSegment } from '../../../lib/protocol';
import type { Storage, TopicItem } from '../../../lib/storage';
import { emulatedStorage, type EmulatedStorage } from '../../helpers/emulated-storage';
import { uniqueTopic } from '../../helpers/http';
import { objectKeys, override, readAll, records, testClock, testConfig } from './fixtures';

let env: EmulatedStorage;
let storage: Storage;
beforeAll(async () => {
  env = await emulatedStorage();
  storage = env.storage;
});
afterAll(async () => env?.stop());

const HOUR = 3_600_000;

/** Retention alone: compaction would merge these small segments too (test/integration/maintenance/compaction.test.ts). */
const noCompaction = (...[clock, events, overrides]: Parameters<typeof testConfig>) =>
  testConfig(clock, events, { compactionSmallBytes: 0, ...overrides });

/** Appends one segment per entry of `segments` ([values, timestamp]). */
async function fill(topic: TopicItem, segments: Array<[string[], number]>): Promise<void> {
  for (const [values, ts] of segments) await appendRecords(storage, topic, 0, records(values, ts));
}

async function expectOutOfRange(topic: TopicItem, offset: number): Promise<void> {
  const leader = await leaderState(storage, topic, 0);
  const err = await readRecords(storage, topic, 0, leader, offset, { maxRecords: 10, maxBytes: 1 << 20 }).catch((e: unknown) => e);
  expect(isStreambedError(err) && err.code).toBe('OFFSET_OUT_OF_RANGE');
  expect(isStreambedError(err) && err.status).toBe(416);
}

describe('retention by time', () => {
  it('moves the log start past the expired segments, then removes their entries and objects', async () => {
    const topic = await createTopic(storage, { name: uniqueTopic('ret-time'), partitions: 1, config: { 'retention.ms': HOUR } });
    const now = Date.now();
    await fill(topic, [
      [['a0', 'a1'], now - 3 * HOUR],
      [['b2', 'b3'], now - 2 * HOUR],
      [['c4'], now - 2 * HOUR],
      [['d5', 'd6'], now - 10 * 60_000],
      [['e7'], now],
    ]);
    const before = await readAll(storage, topic);
    const keysBefore = await objectKeys(storage, topic);
    expect(keysBefore).toHaveLength(5);
    const expiredKeys = (await storage.index.list(topic.topicId, 0)).filter((e) => e.baseOffset < 5).map((e) => e.key);

    const events: MaintenanceEvent[] = [];
    const report = await runMaintenance(storage, noCompaction(testClock(), events));
    expect(report.errors, JSON.stringify(events.filter((e) => e.level === 'error'))).toBe(0);

    const leader = await leaderState(storage, topic, 0);
    expect(leader.logStartOffset).toBe(5);
    expect(await listOffset(storage, topic, 0, 'earliest')).toBe(5);
    await expectOutOfRange(topic, 0);
    await expectOutOfRange(topic, 4);
    expect(await readAll(storage, topic)).toEqual(before.filter((r) => r.offset >= 5));
    expect((await storage.index.list(topic.topicId, 0)).map((e) => e.baseOffset)).toEqual([5, 7]);
    const keysAfter = await objectKeys(storage, topic);
    expect(keysAfter).toHaveLength(2);
    for (const k of expiredKeys) expect(keysAfter).not.toContain(k);
    expect(events).toContainEqual(
      expect.objectContaining({ event: 'retention', topicId: topic.topicId, reason: 'time', logStartOffset: { from: 0, to: 5 }, segments: 3 }),
    );
  });

  it('never removes the segment of the last commit, even when it is expired', async () => {
    const topic = await createTopic(storage, { name: uniqueTopic('ret-last'), partitions: 1, config: { 'retention.ms': HOUR } });
    const old = Date.now() - 5 * HOUR;
    await fill(topic, [
      [['x0'], old],
      [['x1', 'x2'], old],
      [['x3'], old],
    ]);
    await runMaintenance(storage, noCompaction(testClock(), []));
    const leader = await leaderState(storage, topic, 0);
    expect(leader.logStartOffset).toBe(3);
    expect(leader.lastCommit?.baseOffset).toBe(3);
    expect(await readAll(storage, topic)).toEqual([{ offset: 3, value: 'x3' }]);
    expect(await objectKeys(storage, topic)).toEqual([leader.lastCommit?.key]);
  });

  it('-1 keeps everything', async () => {
    const topic = await createTopic(storage, {
      name: uniqueTopic('ret-forever'),
      partitions: 1,
      config: { 'retention.ms': -1, 'retention.bytes': -1 },
    });
    await fill(topic, [
      [['f0'], 1],
      [['f1'], 2],
      [['f2'], 3],
    ]);
    await runMaintenance(storage, noCompaction(testClock(), []));
    expect((await leaderState(storage, topic, 0)).logStartOffset).toBe(0);
    expect(await readAll(storage, topic)).toHaveLength(3);
    expect(await objectKeys(storage, topic)).toHaveLength(3);
  });
});

describe('retention by bytes', () => {
  it('removes the oldest whole segments while the log stays at least retention.bytes', async () => {
    const now = Date.now();
    const value = (c: string) => c.repeat(1000);
    const segments: Array<[string[], number]> = [
      [[value('a'), value('a')], now],
      [[value('b')], now],
      [[value('c'), value('c')], now],
      [[value('d')], now],
      [[value('e')], now],
    ];
    const sizes = await Promise.all(segments.map(async ([v, ts]) => (await encodeSegment(records(v, ts))).bytes.length));
    const total = sizes.reduce((a, b) => a + b, 0);
    // At least the last three segments' bytes, and not quite the last four's: two segments go.
    const limit = sizes.slice(2).reduce((a, b) => a + b, 0) + 1;
    expect(total - sizes[0]).toBeGreaterThanOrEqual(limit);
    expect(total - sizes[0] - sizes[1]).toBeLessThan(limit);
    const topic = await createTopic(storage, {
      name: uniqueTopic('ret-bytes'),
      partitions: 1,
      config: { 'retention.ms': -1, 'retention.bytes': limit },
    });
    await fill(topic, segments);
    expect((await storage.index.list(topic.topicId, 0)).map((e) => e.bytes)).toEqual(sizes);

    const events: MaintenanceEvent[] = [];
    await runMaintenance(storage, noCompaction(testClock(), events));
    // Without segment 0 the log is total - sizes[0] ≥ limit; without segment 1 too it would be below.
    const leader = await leaderState(storage, topic, 0);
    expect(leader.logStartOffset).toBe(2);
    await expectOutOfRange(topic, 1);
    expect((await readAll(storage, topic)).map((r) => r.value[0])).toEqual(['b', 'c', 'c', 'd', 'e']);
    expect(await objectKeys(storage, topic)).toHaveLength(4);
    expect(events).toContainEqual(expect.objectContaining({ event: 'retention', reason: 'bytes', segments: 1 }));
  });
});

describe('a fetch racing retention', () => {
  it('gets 416 when retention moved the log start after the fetch read the leader record', async () => {
    const topic = await createTopic(storage, { name: uniqueTopic('ret-race'), partitions: 1, config: { 'retention.ms': HOUR } });
    const old = Date.now() - 2 * HOUR;
    await fill(topic, [
      [['q0'], old],
      [['q1'], old],
      [['q2'], Date.now()],
    ]);
    const stale = await leaderState(storage, topic, 0);
    await runMaintenance(storage, noCompaction(testClock(), []));
    expect((await leaderState(storage, topic, 0)).logStartOffset).toBe(2);
    const err = await readRecords(storage, topic, 0, stale, 0, { maxRecords: 10, maxBytes: 1 << 20 }).catch((e: unknown) => e);
    expect(isStreambedError(err) && err.code).toBe('OFFSET_OUT_OF_RANGE');
  });
});

describe('deletion delay', () => {
  it('keeps the objects of removed entries until the delay has passed, so reads in flight finish', async () => {
    const topic = await createTopic(storage, { name: uniqueTopic('ret-delay'), partitions: 1, config: { 'retention.ms': HOUR } });
    const old = Date.now() - 2 * HOUR;
    await fill(topic, [
      [['p0', 'p1'], old],
      [['p2'], old],
      [['p3'], Date.now()],
    ]);
    // A read that has looked the index up and is about to GET the first segment.
    const leader = await leaderState(storage, topic, 0);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let arrived!: () => void;
    const atGet = new Promise<void>((r) => (arrived = r));
    const paused: Storage = {
      ...storage,
      segments: override(storage.segments, {
        getSegment: async (...a) => {
          arrived();
          await gate;
          return storage.segments.getSegment(...a);
        },
      }),
    };
    const inFlight = readRecords(paused, topic, 0, leader, 0, { maxRecords: 10, maxBytes: 1 << 20 });
    await atGet;

    const clock = testClock();
    await runMaintenance(storage, noCompaction(clock, [], { deletionDelayMs: 60_000 }));
    expect((await leaderState(storage, topic, 0)).logStartOffset).toBe(3);
    expect(await storage.index.list(topic.topicId, 0)).toHaveLength(1);
    expect(await objectKeys(storage, topic)).toHaveLength(3);
    release();
    expect((await inFlight).records.map((r) => r.value?.toString())).toEqual(['p0', 'p1', 'p2', 'p3']);

    clock.now += 30_000;
    await runMaintenance(storage, noCompaction(clock, [], { deletionDelayMs: 60_000 }));
    expect(await objectKeys(storage, topic)).toHaveLength(3);
    clock.now += 31_000;
    const report = await runMaintenance(storage, noCompaction(clock, [], { deletionDelayMs: 60_000 }));
    expect(report.deletions.deleted).toBeGreaterThanOrEqual(2);
    expect(await objectKeys(storage, topic)).toHaveLength(1);
    expect(await readAll(storage, topic)).toEqual([{ offset: 3, value: 'p3' }]);
  });
});
