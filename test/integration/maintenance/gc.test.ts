/**
 * Orphan garbage collection against the emulators: an object that never committed goes once it is
 * older than the grace period; an object an index entry or the leader's lastCommit refers to never
 * goes, however old; the object of an append still in flight (PUT done, commit not yet landed when
 * the collector looked) is not deleted within the grace period; what a deleted topic left behind
 * is removed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InjectedFault, appendRecords, createTopic, leaderState, setFailpoint } from '../../../lib/log';
import { runMaintenance, type MaintenanceEvent } from '../../../lib/log/maintenance';
import type { Storage, TopicItem } from '../../../lib/storage';
import { topicPrefix } from '../../../lib/storage/schema';
import { emulatedStorage, type EmulatedStorage } from '../../helpers/emulated-storage';
import { uniqueTopic } from '../../helpers/http';
import { objectKeys, override, readAll, records, testClock, testConfig, type TestClock } from './fixtures';

let env: EmulatedStorage;
let storage: Storage;
beforeAll(async () => {
  env = await emulatedStorage();
  storage = env.storage;
});
afterAll(async () => env?.stop());
afterEach(() => {
  setFailpoint('append.after-segment-put', undefined);
  setFailpoint('append.after-commit', undefined);
});

const HOUR = 3_600_000;
const now = () => Date.now();

/** GC only: retention off per topic (retention.ms -1), compaction off, grace 1 h. */
const gcConfig = (clock: TestClock, events: MaintenanceEvent[] = []) =>
  testConfig(clock, events, { orphanGraceMs: HOUR, compactionSmallBytes: 0 });

const forever = { 'retention.ms': -1 };

async function orphanOf(topic: TopicItem, value: string): Promise<string> {
  const before = new Set(await objectKeys(storage, topic));
  setFailpoint('append.after-segment-put', 'throw');
  await expect(appendRecords(storage, topic, 0, records([value], now()))).rejects.toBeInstanceOf(InjectedFault);
  setFailpoint('append.after-segment-put', undefined);
  const added = (await objectKeys(storage, topic)).filter((k) => !before.has(k));
  expect(added).toHaveLength(1);
  return added[0];
}

describe('orphans', () => {
  it('deletes an object that never committed once it is older than the grace period', async () => {
    const topic = await createTopic(storage, { name: uniqueTopic('gc-orphan'), partitions: 1, config: forever });
    await appendRecords(storage, topic, 0, records(['kept-1'], now()));
    const orphan = await orphanOf(topic, 'never-acknowledged');
    await appendRecords(storage, topic, 0, records(['kept-2'], now()));
    const clock = testClock();

    await runMaintenance(storage, gcConfig(clock));
    expect(await objectKeys(storage, topic)).toContain(orphan);

    clock.now += HOUR - 60_000;
    await runMaintenance(storage, gcConfig(clock));
    expect(await objectKeys(storage, topic)).toContain(orphan);

    clock.now += 2 * 60_000;
    const events: MaintenanceEvent[] = [];
    const report = await runMaintenance(storage, gcConfig(clock, events));
    expect(report.gc.orphans).toBeGreaterThanOrEqual(1);
    const keys = await objectKeys(storage, topic);
    expect(keys).not.toContain(orphan);
    expect(keys).toHaveLength(2);
    expect(await readAll(storage, topic)).toEqual([
      { offset: 0, value: 'kept-1' },
      { offset: 1, value: 'kept-2' },
    ]);
    expect(events).toContainEqual(expect.objectContaining({ event: 'orphans-deleted', topicId: topic.topicId, objects: 1 }));
  });

  it('never deletes an object an index entry or the last commit refers to, however old', async () => {
    const topic = await createTopic(storage, { name: uniqueTopic('gc-referenced'), partitions: 1, config: forever });
    await appendRecords(storage, topic, 0, records(['a'], now()));
    await appendRecords(storage, topic, 0, records(['b'], now()));
    // The newest commit without its index entry: only the leader's lastCommit refers to its object.
    setFailpoint('append.after-commit', 'throw');
    await expect(appendRecords(storage, topic, 0, records(['c'], now()))).rejects.toBeInstanceOf(InjectedFault);
    setFailpoint('append.after-commit', undefined);
    const leader = await leaderState(storage, topic, 0);
    expect(await storage.index.get(topic.topicId, 0, 2)).toBeUndefined();
    const keys = await objectKeys(storage, topic);
    expect(keys).toContain(leader.lastCommit?.key);

    const clock = testClock();
    clock.now += 30 * 24 * HOUR;
    await runMaintenance(storage, gcConfig(clock));
    expect((await objectKeys(storage, topic)).sort()).toEqual([...keys].sort());
    expect((await readAll(storage, topic)).map((r) => r.value)).toEqual(['a', 'b', 'c']);
  });

  it('does not delete the object of an append whose commit lands after the collector looked', async () => {
    const topic = await createTopic(storage, { name: uniqueTopic('gc-inflight'), partitions: 1, config: forever });
    await appendRecords(storage, topic, 0, records(['first'], now()));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let put!: (key: string) => void;
    const afterPut = new Promise<string>((r) => (put = r));
    // The writer has PUT its object and not yet committed.
    const slow: Storage = {
      ...storage,
      segments: override(storage.segments, {
        putSegment: async (...a) => {
          const key = await storage.segments.putSegment(...a);
          put(key);
          await gate;
          return key;
        },
      }),
    };
    const append = appendRecords(slow, topic, 0, records(['in-flight'], now()));
    const key = await afterPut;

    // The collector reads the leader record and index (no commit yet) and lists the object.
    const report = await runMaintenance(storage, gcConfig(testClock()));
    expect(report.errors).toBe(0);
    expect(await objectKeys(storage, topic)).toContain(key);

    release();
    expect(await append).toMatchObject({ baseOffset: 1, count: 1 });
    expect((await readAll(storage, topic)).map((r) => r.value)).toEqual(['first', 'in-flight']);
    // Committed now: no later run may take it, at any age.
    const later = testClock();
    later.now += 10 * HOUR;
    await runMaintenance(storage, gcConfig(later));
    expect(await objectKeys(storage, topic)).toContain(key);
    expect((await readAll(storage, topic)).map((r) => r.value)).toEqual(['first', 'in-flight']);
  });
});

describe('deleted topics', () => {
  it('removes the objects, leader records and index entries a cut-short deletion left', async () => {
    const doomed = await createTopic(storage, { name: uniqueTopic('gc-deleted'), partitions: 2, config: forever });
    const live = await createTopic(storage, { name: uniqueTopic('gc-live'), partitions: 1, config: forever });
    for (const p of [0, 1]) await appendRecords(storage, doomed, p, records([`d${p}`], now()));
    await appendRecords(storage, live, 0, records(['alive'], now()));
    // The topic item goes first; the clean-up after it never ran.
    expect(await storage.topics.delete(doomed.name, doomed.topicId)).toBe(true);
    expect(await storage.segments.listSegments(topicPrefix(doomed.topicId))).toHaveLength(2);

    const events: MaintenanceEvent[] = [];
    const report = await runMaintenance(storage, gcConfig(testClock(), events));
    expect(report.gc.deletedTopics).toBeGreaterThanOrEqual(1);
    expect(await storage.segments.listSegments(topicPrefix(doomed.topicId))).toEqual([]);
    expect(await storage.leaders.partitionsOf(doomed.topicId)).toEqual([]);
    for (const p of [0, 1]) expect(await storage.index.list(doomed.topicId, p)).toEqual([]);
    expect(events).toContainEqual(expect.objectContaining({ event: 'deleted-topic-removed', topicId: doomed.topicId, objects: 2 }));
    expect(await readAll(storage, live)).toEqual([{ offset: 0, value: 'alive' }]);
  });
});
