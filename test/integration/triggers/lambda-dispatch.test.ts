/**
 * The dispatch Lambda's logic over the real storage wire protocols (in-process emulators): a
 * DynamoDB stream wake-up dispatches only the partitions of the trigger's topic it names, a sweep
 * dispatches every partition, a partition whose lease another dispatcher holds is skipped, and a
 * pass releases its leases so the next one need not wait.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendRecords, createTopic } from '../../../lib/log';
import { committedOffsets } from '../../../lib/groups';
import type { Storage, TopicItem } from '../../../lib/storage';
import { PartitionLease, parseTriggerSettings, type SelfManagedKafkaEvent } from '../../../lib/triggers';
import { dispatch, partitionsFromStream, type DispatchConfig } from '../../../lib/triggers/lambda-dispatch';
import { emulatedStorage, type EmulatedStorage } from '../../helpers/emulated-storage';
import { sampleRecords } from './lease-fixtures';

const streamEvent = (topicId: string, partitions: number[]) => ({
  Records: partitions.map((p) => ({ eventSource: 'aws:dynamodb', eventName: 'MODIFY', dynamodb: { Keys: { topicId: { S: topicId }, partition: { N: String(p) } } } })),
});

describe('dispatch Lambda pass', () => {
  let emulated: EmulatedStorage;
  let storage: Storage;
  let topic: TopicItem;
  let config: DispatchConfig;
  const delivered: Array<{ partition: number; offsets: number[] }> = [];
  const invoke = async (event: SelfManagedKafkaEvent) => {
    for (const records of Object.values(event.records)) delivered.push({ partition: records[0].partition, offsets: records.map((r) => r.offset) });
    return {};
  };
  const log = () => {};

  beforeAll(async () => {
    emulated = await emulatedStorage();
    storage = emulated.storage;
    topic = await createTopic(storage, { name: `dispatch-${Date.now()}`, partitions: 3 });
    for (let p = 0; p < 3; p++) await appendRecords(storage, topic, p, sampleRecords(4));
    config = {
      settings: parseTriggerSettings({ name: `lambda-${Date.now()}`, topic: topic.name, startingPosition: 'TRIM_HORIZON', maximumBatchingWindowMs: 0 }),
      target: 'arn:aws:lambda:us-east-1:000000000000:function:target',
      apiUrl: 'https://api.example',
    };
  });
  afterAll(async () => emulated?.stop());

  it('reads the partitions of its topic from a KEYS_ONLY stream event', () => {
    expect([...partitionsFromStream(streamEvent('abc', [2, 0, 2]), 'abc')!]).toEqual([2, 0]);
    expect(partitionsFromStream(streamEvent('other', [1]), 'abc')!.size).toBe(0);
    expect(partitionsFromStream({ source: 'aws.events' }, 'abc')).toBeUndefined();
  });

  it('on a stream wake-up delivers only the named partitions of its topic; ignores other topics', async () => {
    expect(await dispatch(storage, config, invoke, streamEvent('not-this-topic', [0]), 30_000, log)).toEqual({ skipped: 'not-my-topic' });
    const report = await dispatch(storage, config, invoke, streamEvent(topic.topicId, [1]), 30_000, log);
    expect(report).toMatchObject({ partitions: 1, skipped: 0, batches: 1 });
    expect(delivered).toEqual([{ partition: 1, offsets: [0, 1, 2, 3] }]);
    expect((await committedOffsets(storage, `trigger.${config.settings.name}`, topic)).get(1)).toBe(4);
  });

  it('on a sweep delivers every partition, skipping one whose lease is held elsewhere', async () => {
    const group = `trigger.${config.settings.name}`;
    const held = await PartitionLease.acquire(storage, group, topic.name, 2, { leaseMs: 60_000, owner: 'another invocation' });
    expect(held).toBeDefined();
    delivered.length = 0;
    const report = await dispatch(storage, config, invoke, { source: 'aws.events', 'detail-type': 'Scheduled Event' }, 30_000, log);
    expect(report).toMatchObject({ partitions: 3, skipped: 1, batches: 1 });
    expect(delivered).toEqual([{ partition: 0, offsets: [0, 1, 2, 3] }]); // 1 was caught up, 2 held
    await held!.release();

    // The pass released its leases: the next sweep takes them at once and finishes partition 2.
    delivered.length = 0;
    await dispatch(storage, config, invoke, {}, 30_000, log);
    expect(delivered).toEqual([{ partition: 2, offsets: [0, 1, 2, 3] }]);
    const offsets = await committedOffsets(storage, group, topic);
    expect([offsets.get(0), offsets.get(1), offsets.get(2)]).toEqual([4, 4, 4]);
  });
});
