/**
 * Drop-in compatibility with Upstash's Kafka REST API: the real @upstash/kafka client (1.3.x),
 * unchanged, against the local stack (docs/upstash.md). Topics are created with the /v1 API
 * (Upstash creates them in its console).
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { UpstashError, type Kafka } from '@upstash/kafka';
import { api, type Api } from '../helpers/http';
import { defaultPartition } from '../../lib/protocol';
import { consumeAll, createTopic, kafkaAt, uniqueGroup } from './upstash-helpers';

let http: Api;
let kafka: Kafka;
beforeAll(() => {
  http = api(inject('baseUrl'));
  kafka = kafkaAt(inject('baseUrl'));
});

describe('producer', () => {
  it('produce sends one message and answers its topic, partition, offset and timestamp', async () => {
    const topic = await createTopic(http, 3);
    const before = Date.now();
    const res = await kafka.producer().produce(topic, { hello: 'world' }, { key: 'user-1', headers: [{ key: 'trace', value: 'abc' }] });
    expect(res).toMatchObject({ topic, partition: defaultPartition(Buffer.from('user-1'), 3), offset: 0 });
    expect(res.timestamp).toBeGreaterThanOrEqual(before);

    const [message] = await kafka.consumer().fetch({ topic, partition: res.partition, offset: 0, timeout: 0 });
    expect(message).toEqual({
      topic,
      partition: res.partition,
      offset: 0,
      timestamp: res.timestamp,
      key: 'user-1',
      value: JSON.stringify({ hello: 'world' }),
      headers: [{ key: 'trace', value: 'abc' }],
    });
  });

  it('produceMany writes to several topics and answers in request order; partition and timestamp are honoured', async () => {
    const a = await createTopic(http, 2);
    const b = await createTopic(http, 1);
    const res = await kafka.producer().produceMany([
      { topic: a, value: 'one', partition: 1, timestamp: 1_700_000_000_000 },
      { topic: b, value: 'two' },
      { topic: a, value: 'three', partition: 1 },
    ]);
    expect(res.map((r) => [r.topic, r.partition, r.offset])).toEqual([
      [a, 1, 0],
      [b, 0, 0],
      [a, 1, 1],
    ]);
    expect(res[0].timestamp).toBe(1_700_000_000_000);
  });
});

describe('fetch', () => {
  it('fetches from an offset, from several partitions at once, and nothing beyond the end', async () => {
    const topic = await createTopic(http, 2);
    await kafka.producer().produceMany(['a0', 'a1', 'a2'].map((value) => ({ topic, value, partition: 0 })));
    await kafka.producer().produceMany(['b0', 'b1'].map((value) => ({ topic, value, partition: 1 })));
    const c = kafka.consumer();

    const single = await c.fetch({ topic, partition: 0, offset: 1, timeout: 0 });
    expect(single.map((m) => [m.offset, m.value, m.key])).toEqual([
      [1, 'a1', ''],
      [2, 'a2', ''],
    ]);

    const many = await c.fetch({
      timeout: 0,
      topicPartitionOffsets: [
        { topic, partition: 0, offset: 2 },
        { topic, partition: 1, offset: 0 },
      ],
    });
    expect(many.map((m) => `${m.partition}:${m.value}`).sort()).toEqual(['0:a2', '1:b0', '1:b1']);

    expect(await c.fetch({ topic, partition: 1, offset: 2, timeout: 0 })).toEqual([]);
  });
});

describe('consumer group', () => {
  it('consumes everything with a group, commits what it consumed, and a new instance resumes after it', async () => {
    const topic = await createTopic(http, 3);
    const values = Array.from({ length: 30 }, (_, i) => `v${i}`);
    await kafka.producer().produceMany(values.map((value, i) => ({ topic, value, key: `k${i}` })));
    const group = uniqueGroup();
    const c = kafka.consumer();
    const consume = (instanceId: string) => () =>
      c.consume({ consumerGroupId: group, instanceId, topics: [topic], autoOffsetReset: 'earliest', autoCommit: false, timeout: 500 });

    const got = await consumeAll(consume('i1'), values.length);
    expect(got.map((m) => m.value).sort()).toEqual([...values].sort());
    // Each partition's messages in offset order, none twice.
    for (const p of [0, 1, 2]) {
      const offsets = got.filter((m) => m.partition === p).map((m) => m.offset);
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }

    // Nothing committed yet (auto-commit off): Kafka's -1.
    const tps = [0, 1, 2].map((partition) => ({ topic, partition }));
    expect((await c.committed({ consumerGroupId: group, instanceId: 'i1', topicPartitions: tps })).map((o) => o.offset)).toEqual([-1, -1, -1]);

    // commit() without offsets: everything consumed so far (the next offset to read per partition).
    await c.commit({ consumerGroupId: group, instanceId: 'i1' });
    const latest = await kafka.admin().topicPartitionOffsets({ timestamp: 'latest', topicPartitions: tps });
    const committed = await c.committed({ consumerGroupId: group, instanceId: 'i1', topicPartitions: tps });
    expect(committed).toEqual(latest);
    expect(committed.reduce((n, o) => n + o.offset, 0)).toBe(values.length);
    expect(await kafka.admin().committedOffsets({ consumerGroupId: group, instanceId: 'i1', topicPartitions: tps })).toEqual(latest);

    // The instance leaves; a new one starts at the committed offsets: only what came after.
    await kafka.admin().removeConsumerInstance(group, 'i1');
    await kafka.producer().produceMany(['late-1', 'late-2'].map((value) => ({ topic, value })));
    const more = await consumeAll(consume('i2'), 2);
    expect(more.map((m) => m.value).sort()).toEqual(['late-1', 'late-2']);
  });

  it('a consume returns at most 500 messages (max.poll.records); the next call continues where it stopped', async () => {
    const topic = await createTopic(http, 2);
    await kafka.producer().produceMany(Array.from({ length: 600 }, (_, i) => ({ topic, value: `m${i}`, partition: i % 2 })));
    const group = uniqueGroup();
    const consume = () => kafka.consumer().consume({ consumerGroupId: group, instanceId: 'big', topics: [topic], autoOffsetReset: 'earliest', timeout: 0 });
    const first = await consume();
    expect(first).toHaveLength(500);
    const rest = await consumeAll(consume, 100);
    expect([...first, ...rest].map((m) => m.value).sort()).toEqual(Array.from({ length: 600 }, (_, i) => `m${i}`).sort());
  });

  it('commits explicit offsets, one or several', async () => {
    const topic = await createTopic(http, 2);
    await kafka.producer().produceMany(['x', 'y', 'z'].map((value) => ({ topic, value, partition: 0 })));
    const group = uniqueGroup();
    const c = kafka.consumer();
    await c.consume({ consumerGroupId: group, instanceId: 'solo', topics: [topic], autoOffsetReset: 'earliest', autoCommit: false, timeout: 0 });

    await c.commit({ consumerGroupId: group, instanceId: 'solo', offset: { topic, partition: 0, offset: 1 } });
    expect(await c.committed({ consumerGroupId: group, instanceId: 'solo', topicPartitions: [{ topic, partition: 0 }] })).toEqual([{ topic, partition: 0, offset: 1 }]);

    await c.commit({
      consumerGroupId: group,
      instanceId: 'solo',
      offset: [
        { topic, partition: 0, offset: 3 },
        { topic, partition: 1, offset: 0 },
      ],
    });
    const both = await c.committed({ consumerGroupId: group, instanceId: 'solo', topicPartitions: [{ topic, partition: 0 }, { topic, partition: 1 }] });
    expect(both).toEqual([
      { topic, partition: 0, offset: 3 },
      { topic, partition: 1, offset: 0 },
    ]);
  });

  it('auto-commit commits what earlier calls returned once its interval has passed', async () => {
    const topic = await createTopic(http, 1);
    await kafka.producer().produceMany(['a', 'b', 'c'].map((value) => ({ topic, value })));
    const group = uniqueGroup();
    const c = kafka.consumer();
    const consume = () => c.consume({ consumerGroupId: group, instanceId: 'auto', topics: [topic], autoOffsetReset: 'earliest', autoCommit: true, autoCommitInterval: 0, timeout: 0 });
    expect((await consume()).map((m) => m.value)).toEqual(['a', 'b', 'c']);
    // Kafka commits in poll(), before fetching: this call commits what the first one returned.
    expect(await consume()).toEqual([]);
    expect(await c.committed({ consumerGroupId: group, instanceId: 'auto', topicPartitions: [{ topic, partition: 0 }] })).toEqual([{ topic, partition: 0, offset: 3 }]);
  });

  it('starts at the end with the default Kafka-Auto-Offset-Reset (latest)', async () => {
    const topic = await createTopic(http, 1);
    await kafka.producer().produce(topic, 'old');
    const group = uniqueGroup();
    const c = kafka.consumer();
    const consume = () => c.consume({ consumerGroupId: group, instanceId: 'l', topics: [topic], timeout: 0 });
    expect(await consume()).toEqual([]);
    await kafka.producer().produce(topic, 'new');
    expect((await consume()).map((m) => m.value)).toEqual(['new']);
  });

  it('splits partitions between instances of a group; consumers() lists them; removeConsumerInstance hands partitions back', async () => {
    const topic = await createTopic(http, 4);
    const group = uniqueGroup();
    const c = kafka.consumer();
    const consume = (instanceId: string) => c.consume({ consumerGroupId: group, instanceId, topics: [topic], autoOffsetReset: 'earliest', timeout: 0 });
    await consume('one');
    await consume('two');
    await consume('one'); // learns the rebalance

    const mine = async () => (await kafka.admin().consumers()).find((g) => g.name === group);
    const listed = await mine();
    expect(listed?.instances.map((i) => i.name)).toEqual(['one', 'two']);
    const partitions = listed!.instances.flatMap((i) => i.topics.flatMap((t) => t.partitions));
    expect(partitions.sort()).toEqual([0, 1, 2, 3]);
    for (const i of listed!.instances) expect(i.topics).toEqual([{ topic, partitions: expect.any(Array) }]);
    expect(listed!.instances.map((i) => i.topics[0].partitions.length)).toEqual([2, 2]);

    await kafka.admin().removeConsumerInstance(group, 'two');
    expect((await mine())?.instances).toEqual([{ name: 'one', topics: [{ topic, partitions: [0, 1, 2, 3] }] }]);
    await kafka.admin().removeConsumerInstance(group, 'one');
    expect(await mine()).toBeUndefined();
  });
});

describe('admin', () => {
  it('topics() maps every topic to its partition count', async () => {
    const a = await createTopic(http, 3);
    const b = await createTopic(http, 1);
    const topics = await kafka.admin().topics();
    expect(topics[a]).toBe(3);
    expect(topics[b]).toBe(1);
  });

  it('topicPartitionOffsets: earliest, latest and by timestamp', async () => {
    const topic = await createTopic(http, 2);
    await kafka.producer().produceMany([
      { topic, value: 'old', partition: 0, timestamp: 1_000 },
      { topic, value: 'mid', partition: 0, timestamp: 2_000 },
      { topic, value: 'new', partition: 0, timestamp: 3_000 },
    ]);
    const tps = [
      { topic, partition: 0 },
      { topic, partition: 1 },
    ];
    const admin = kafka.admin();
    expect(await admin.topicPartitionOffsets({ timestamp: 'earliest', topicPartitions: tps })).toEqual([
      { topic, partition: 0, offset: 0 },
      { topic, partition: 1, offset: 0 },
    ]);
    expect(await admin.topicPartitionOffsets({ timestamp: 'latest', topicPartitions: tps })).toEqual([
      { topic, partition: 0, offset: 3 },
      { topic, partition: 1, offset: 0 },
    ]);
    expect(await admin.topicPartitionOffsets({ timestamp: 1_500, topicPartition: { topic, partition: 0 } })).toEqual([{ topic, partition: 0, offset: 1 }]);
  });
});

describe('errors', () => {
  it('a request the API refuses rejects with UpstashError carrying the message and status', async () => {
    // The client retries every failure 5 times (0.5 + 1 + 2 + 4 + 8 s) before it rejects.
    const err = await kafka.producer().produce('no-such-topic-here', 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstashError);
    expect((err as UpstashError).status).toBe(404);
    expect((err as UpstashError).error).toMatch(/no-such-topic-here/);
  }, 60_000);
});
