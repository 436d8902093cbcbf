/**
 * Exactly one dispatcher per (trigger, partition): the lease and its epoch, against the real
 * DynamoDB wire protocol (in-process emulators). A dispatcher paused in the middle of a batch
 * loses its lease to a successor (whose clock runs past the lease's expiry: a pause as long as
 * the lease); when it wakes up it can neither commit its batch nor renew, and the position is the
 * successor's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleRecords } from './lease-fixtures';
import { commitFencedOffset, committedOffsets } from '../../../lib/groups';
import { appendRecords, createTopic } from '../../../lib/log';
import type { Storage, TopicItem } from '../../../lib/storage';
import { LeaseLostError, PartitionDispatcher, PartitionLease, parseTriggerSettings, type SelfManagedKafkaEvent } from '../../../lib/triggers';
import { emulatedStorage, type EmulatedStorage } from '../../helpers/emulated-storage';

describe('trigger partition lease', () => {
  let emulated: EmulatedStorage;
  let storage: Storage;
  let topic: TopicItem;
  const settings = parseTriggerSettings({ name: 'fenced', topic: 'lease-topic', startingPosition: 'TRIM_HORIZON', batchSize: 10, maximumBatchingWindowMs: 0 });
  const group = 'trigger.fenced';

  beforeAll(async () => {
    emulated = await emulatedStorage();
    storage = emulated.storage;
    topic = await createTopic(storage, { name: `lease-topic-${Date.now()}`, partitions: 1 });
    await appendRecords(storage, topic, 0, sampleRecords(10));
  });
  afterAll(async () => emulated?.stop());

  it('lets a second dispatcher in only after the lease expired, with a higher epoch', async () => {
    const opts = { leaseMs: 60_000, owner: 'a' };
    const a = await PartitionLease.acquire(storage, 'trigger.live', topic.name, 0, opts);
    expect(a?.epoch).toBe(1);
    expect(await PartitionLease.acquire(storage, 'trigger.live', topic.name, 0, { ...opts, owner: 'b' })).toBeUndefined();
    await a!.release();
    const b = await PartitionLease.acquire(storage, 'trigger.live', topic.name, 0, { ...opts, owner: 'b' });
    expect(b?.epoch).toBe(2);
    expect(await a!.renew()).toBe(false);
    await b!.release();
  });

  it('fences a paused dispatcher: its commit and renewals are refused once a successor took over', async () => {
    const t = { ...settings, topic: topic.name };
    let reached!: () => void;
    const atInvoke = new Promise<void>((r) => (reached = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const seenByA: SelfManagedKafkaEvent[] = [];
    const leaseA = (await PartitionLease.acquire(storage, group, topic.name, 0, { leaseMs: 60_000, owner: 'a' }))!;
    const a = new PartitionDispatcher({
      storage,
      settings: t,
      bootstrapServers: 'http://test',
      topic,
      partition: 0,
      lease: leaseA,
      invoke: async (event) => {
        seenByA.push(event);
        reached();
        await gate; // paused mid-batch (a GC pause, a frozen container)
        return {};
      },
    });
    expect(await a.start()).toBe(0);
    const stepA = a.step();
    await atInvoke;

    // The successor sees A's lease expired (its clock is past A's expiry) and takes over.
    const leaseB = await PartitionLease.acquire(storage, group, topic.name, 0, { leaseMs: 60_000, owner: 'b', now: () => Date.now() + 120_000 });
    expect(leaseB?.epoch).toBe(leaseA.epoch + 1);
    const delivered: number[] = [];
    // B delivers the first 5 (a batch of 5) and commits 5.
    const b = new PartitionDispatcher({
      storage,
      settings: { ...t, batchSize: 5 },
      bootstrapServers: 'http://test',
      topic,
      partition: 0,
      lease: leaseB!,
      invoke: async (event) => {
        delivered.push(...Object.values(event.records).flat().map((r) => r.offset));
        return {};
      },
    });
    expect(await b.start()).toBe(0); // A never committed: B starts where A started
    expect(await b.step()).toBe('delivered');
    expect((await committedOffsets(storage, group, topic)).get(0)).toBe(5);

    // A wakes up: its batch of 10 succeeded, but its commit is refused (epoch fenced).
    release();
    await expect(stepA).rejects.toBeInstanceOf(LeaseLostError);
    expect(seenByA).toHaveLength(1);
    expect(leaseA.lost).toBe(true);
    expect(await leaseA.renew()).toBe(false);
    expect(await commitFencedOffset(storage, group, topic, 0, 10, leaseA.epoch)).toBe(false);
    expect((await committedOffsets(storage, group, topic)).get(0)).toBe(5);
    expect(delivered).toEqual([0, 1, 2, 3, 4]);
    await leaseB!.release();
  });
});
