/** The admin client against the local stack: topics, offsets (by time too), groups and lag. */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { Streambed, StreambedClientError, type Admin } from '../../../lib/client';
import { uniqueTopic } from '../../helpers/http';

let streambed: Streambed;
let admin: Admin;
beforeAll(() => {
  streambed = new Streambed({ url: inject('baseUrl') });
  admin = streambed.admin();
});

describe('admin (local stack)', () => {
  it('creates, lists, describes and deletes topics', async () => {
    const topic = uniqueTopic('adm');
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '86400000' }] }] })).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] })).toBe(false);
    await expect(admin.createTopic({ topic, numPartitions: 1 })).rejects.toMatchObject({ code: 'TOPIC_ALREADY_EXISTS', status: 409 });
    expect(await admin.listTopics()).toContain(topic);

    const described = await admin.describeTopic(topic);
    expect(described.config['retention.ms']).toBe(86400000);
    expect(described.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0].partitions.map((p) => p.partitionId)).toEqual([0, 1, 2]);

    await admin.deleteTopics({ topics: [topic] });
    expect(await admin.listTopics()).not.toContain(topic);
    await expect(admin.describeTopic(topic)).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });

  it('reports invalid input with typed, non-retriable errors', async () => {
    const bad = await admin.createTopic({ topic: 'no spaces allowed' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(StreambedClientError);
    expect(bad).toMatchObject({ code: 'INVALID_TOPIC', retriable: false });
    await expect(admin.createTopic({ topic: uniqueTopic('adm'), numPartitions: 0 })).rejects.toMatchObject({ code: 'INVALID_PARTITIONS' });
    await expect(admin.createTopic({ topic: uniqueTopic('adm'), config: { 'no.such.key': 1 } })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('lists offsets per partition, and by timestamp', async () => {
    const topic = uniqueTopic('adm');
    await admin.createTopic({ topic, numPartitions: 2 });
    const producer = streambed.producer();
    await producer.send({ topic, messages: [0, 1, 2].map((i) => ({ partition: 0, value: `a${i}`, timestamp: 1_000 + i * 1_000 })) });
    await producer.send({ topic, messages: [{ partition: 1, value: 'b', timestamp: 5_000 }] });
    await producer.disconnect();

    expect(await admin.fetchTopicOffsets(topic)).toEqual([
      { partition: 0, offset: 3, high: 3, low: 0 },
      { partition: 1, offset: 1, high: 1, low: 0 },
    ]);
    expect(await admin.fetchTopicOffsetsByTimestamp(topic, 2_000)).toEqual([
      { partition: 0, offset: 1 },
      { partition: 1, offset: 0 },
    ]);
    expect(await admin.fetchTopicOffsetsByTimestamp(topic, 10_000)).toEqual([
      { partition: 0, offset: 3 },
      { partition: 1, offset: 1 },
    ]);
    expect(await admin.listOffset(topic, 0, 'earliest')).toBe(0);
    expect(await admin.listOffset(topic, 0, 'latest')).toBe(3);
  });

  it('sets and reads group offsets with lag, and lists the group', async () => {
    const topic = uniqueTopic('adm');
    const groupId = uniqueTopic('grp');
    await admin.createTopic({ topic, numPartitions: 2 });
    const producer = streambed.producer();
    await producer.send({ topic, messages: Array.from({ length: 5 }, (_, i) => ({ partition: 0, value: `v${i}` })) });
    await producer.disconnect();

    const before = await admin.groupLag(groupId, topic);
    expect(before).toEqual([
      { partition: 0, offset: null, metadata: null, highWatermark: 5, lag: 5 },
      { partition: 1, offset: null, metadata: null, highWatermark: 0, lag: 0 },
    ]);
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: 2 }] });
    const [fetched] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(fetched.topic).toBe(topic);
    expect(fetched.partitions[0]).toMatchObject({ partition: 0, offset: 2, highWatermark: 5, lag: 3 });

    const { groups } = await admin.listGroups();
    expect(groups.find((g) => g.groupId === groupId)).toMatchObject({ groupId, members: 0 });
    expect((await admin.describeGroups([groupId])).groups).toHaveLength(1);
  });
});
