/**
 * Upstash consumer instances as group members over time: an instance that stops calling expires
 * like any member (its uncommitted positions are forgotten), and partitions a rebalance takes
 * away are committed first when auto-commit is on.
 */
import { beforeAll, expect, inject, it } from 'vitest';
import type { Kafka } from '@upstash/kafka';
import { api, type Api } from '../helpers/http';
import { createTopic, kafkaAt, uniqueGroup } from './upstash-helpers';

let http: Api;
let kafka: Kafka;
beforeAll(() => {
  http = api(inject('baseUrl'));
  kafka = kafkaAt(inject('baseUrl'));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('an instance silent past Kafka-Session-Timeout-Ms leaves the group and starts again from the committed offsets', async () => {
  const topic = await createTopic(http, 1);
  await kafka.producer().produceMany(['a', 'b', 'c'].map((value) => ({ topic, value })));
  const group = uniqueGroup();
  const headers = { 'Kafka-Session-Timeout-Ms': '5000', 'Kafka-Auto-Offset-Reset': 'earliest', 'Kafka-Enable-Auto-Commit': 'false' };
  const consume = () => http.raw('POST', `/consume/${group}/short`, JSON.stringify({ topic, timeout: 0 }), headers);

  expect(((await consume()).body as { value: string }[]).map((m) => m.value)).toEqual(['a', 'b', 'c']);
  await http.post(`/commit/${group}/short`, { topic, partition: 0, offset: 1 });
  expect((await kafka.admin().consumers()).some((g) => g.name === group)).toBe(true);

  await sleep(6000);
  expect((await kafka.admin().consumers()).some((g) => g.name === group)).toBe(false);
  // Its positions (after "c") were never committed: the new incarnation resumes at the commit (1).
  expect(((await consume()).body as { value: string }[]).map((m) => m.value)).toEqual(['b', 'c']);
});

it('partitions taken away by a rebalance are committed first with auto-commit', async () => {
  const topic = await createTopic(http, 2);
  await kafka.producer().produceMany([0, 0, 1, 1, 1].map((partition, i) => ({ topic, value: `m${i}`, partition })));
  const group = uniqueGroup();
  const c = kafka.consumer();
  const consume = (instanceId: string) =>
    c.consume({ consumerGroupId: group, instanceId, topics: [topic], autoOffsetReset: 'earliest', autoCommit: true, autoCommitInterval: 3_600_000, timeout: 0 });

  expect(await consume('first')).toHaveLength(5);
  await consume('second'); // joins: one partition moves to it
  await consume('first'); // learns the rebalance: commits the partition it gives up
  const owned = (await kafka.admin().consumers()).find((g) => g.name === group)!.instances.find((i) => i.name === 'second')!.topics[0].partitions;
  expect(owned).toHaveLength(1);
  const [moved] = owned;
  const committed = await c.committed({ consumerGroupId: group, instanceId: 'first', topicPartitions: [{ topic, partition: moved }] });
  expect(committed).toEqual([{ topic, partition: moved, offset: moved === 0 ? 2 : 3 }]);
});
