/**
 * Shared pieces of the maintenance tests: a config with a movable clock and a log that is kept,
 * records, a reader that reads a whole partition back, and a look at the partition's objects.
 */
import { expect } from 'vitest';
import { leaderState, readRecords } from '../../../lib/log';
import { maintenanceConfig, type MaintenanceConfig, type MaintenanceEvent } from '../../../lib/log/maintenance';
import type { RecordInput } from '../../../lib/protocol';
import type { Storage, TopicItem } from '../../../lib/storage';
import { segmentPrefix } from '../../../lib/storage/schema';

export interface TestClock {
  now: number;
  readonly fn: () => number;
}

/** Real time, until a test moves it (`clock.now = …`). */
export function testClock(): TestClock {
  const clock = { now: Date.now(), fn: () => clock.now };
  return clock;
}

/**
 * A config for tests: no environment, deletions and merges without delay unless asked, a long
 * budget, every event kept in `events`.
 */
export function testConfig(clock: TestClock, events: MaintenanceEvent[], overrides: Partial<MaintenanceConfig> = {}): MaintenanceConfig {
  return maintenanceConfig(
    {
      clock: clock.fn,
      log: (e) => events.push(e),
      deletionDelayMs: 0,
      compactionMinAgeMs: 0,
      budgetMs: 10 * 60_000,
      ...overrides,
    },
    {},
  );
}

export function records(values: string[], timestamp: number): RecordInput[] {
  return values.map((v) => ({ key: null, value: Buffer.from(v), headers: [], timestamp }));
}

export interface ReadBack {
  readonly offset: number;
  readonly value: string;
}

/**
 * Every record from the log start to the high watermark, `maxRecords` per read (small, so reads
 * start inside segments), checking that offsets are contiguous.
 */
export async function readAll(storage: Storage, topic: TopicItem, partition = 0, maxRecords = 3): Promise<ReadBack[]> {
  const leader = await leaderState(storage, topic, partition);
  const out: ReadBack[] = [];
  let offset = leader.logStartOffset;
  while (offset < leader.logEndOffset) {
    const res = await readRecords(storage, topic, partition, leader, offset, { maxRecords, maxBytes: 1 << 20 });
    expect(res.records.length).toBeGreaterThan(0);
    res.records.forEach((r, i) => expect(r.offset).toBe(offset + i));
    out.push(...res.records.map((r) => ({ offset: r.offset, value: r.value?.toString() ?? '' })));
    offset = res.nextOffset;
  }
  return out;
}

/** Reads from every offset of the partition and compares with `expected` (the whole log). */
export async function expectReadsFromEveryOffset(storage: Storage, topic: TopicItem, expected: readonly ReadBack[], partition = 0): Promise<void> {
  const leader = await leaderState(storage, topic, partition);
  for (const { offset } of expected) {
    if (offset < leader.logStartOffset) continue;
    const res = await readRecords(storage, topic, partition, leader, offset, { maxRecords: 4, maxBytes: 1 << 20 });
    const got = res.records.map((r) => ({ offset: r.offset, value: r.value?.toString() ?? '' }));
    expect(got.length, `read at ${offset}`).toBeGreaterThan(0);
    expect(got, `read at ${offset}`).toEqual(expected.slice(expected.findIndex((e) => e.offset === offset)).slice(0, got.length));
  }
}

export async function objectKeys(storage: Storage, topic: TopicItem, partition = 0): Promise<string[]> {
  return (await storage.segments.listSegments(segmentPrefix(topic.topicId, partition))).map((o) => o.key);
}

/** A copy of `target` (a class instance) with some methods replaced; the rest still work. */
export function override<T extends object>(target: T, methods: Partial<T>): T {
  return Object.assign(Object.create(target) as T, methods);
}
