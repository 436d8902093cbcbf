/**
 * The consumer against the local stack: subscribe/run with eachMessage and eachBatch, committed
 * offsets and restarts, fromBeginning false, seek, pause/resume, manual commits, a rebalance
 * when a second member joins and a clean leave.
 */
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { Streambed, type Consumer, type KafkaMessage } from '../../../lib/client';
import { uniqueTopic } from '../../helpers/http';

let streambed: Streambed;
const running: Consumer[] = [];
beforeAll(() => {
  streambed = new Streambed({ url: inject('baseUrl') });
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.disconnect()));
});

const text = (b: Uint8Array | null): string | null => (b === null ? null : new TextDecoder().decode(b));

async function topicWith(partitions: number, perPartition: number): Promise<string> {
  const topic = uniqueTopic('cons');
  await streambed.admin().createTopic({ topic, numPartitions: partitions });
  const producer = streambed.producer();
  const messages = [];
  for (let p = 0; p < partitions; p++) for (let i = 0; i < perPartition; i++) messages.push({ partition: p, key: `k${p}`, value: `p${p}-${i}` });
  if (messages.length > 0) await producer.send({ topic, messages });
  await producer.disconnect();
  return topic;
}

function consumer(groupId: string, options: Partial<Parameters<Streambed['consumer']>[0]> = {}): Consumer {
  const c = streambed.consumer({ groupId, sessionTimeoutMs: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 500, ...options });
  running.push(c);
  return c;
}

/** Collects eachMessage deliveries as "p/offset/value". */
function collector(): { seen: string[]; eachMessage: (p: { partition: number; message: KafkaMessage }) => Promise<void> } {
  const seen: string[] = [];
  return { seen, eachMessage: async ({ partition, message }) => void seen.push(`${partition}/${message.offset}/${text(message.value)}`) };
}

const waitFor = (check: () => boolean | Promise<boolean>, timeout = 60_000) => expect.poll(check, { timeout, interval: 100 }).toBe(true);

describe('consumer (local stack)', () => {
  it('reads every partition from the beginning in offset order, with keys, headers and binary values', async () => {
    const topic = await topicWith(3, 4);
    const producer = streambed.producer();
    await producer.send({ topic, messages: [{ partition: 0, key: new Uint8Array([0, 1]), value: new Uint8Array([255, 0, 7]), headers: { h: ['x', 'y'], n: null } }] });
    await producer.disconnect();

    const got: { partition: number; message: KafkaMessage }[] = [];
    const c = consumer(uniqueTopic('g'), { fromBeginning: true });
    await c.subscribe({ topics: [topic] });
    await c.run({ eachMessage: async ({ partition, message }) => void got.push({ partition, message }) });
    await waitFor(() => got.length === 13);

    for (let p = 0; p < 3; p++) {
      const mine = got.filter((g) => g.partition === p);
      expect(mine.map((g) => g.message.offset)).toEqual([...Array(p === 0 ? 5 : 4).keys()]);
      expect(mine.slice(0, 4).map((g) => text(g.message.value))).toEqual([0, 1, 2, 3].map((i) => `p${p}-${i}`));
      expect(text(mine[0].message.key)).toBe(`k${p}`);
    }
    const binary = got.find((g) => g.partition === 0 && g.message.offset === 4)!.message;
    expect([...binary.key!]).toEqual([0, 1]);
    expect([...binary.value!]).toEqual([255, 0, 7]);
    expect(Object.keys(binary.headers)).toEqual(['h', 'n']);
    expect((binary.headers.h as Uint8Array[]).map(text)).toEqual(['x', 'y']);
    expect(binary.headers.n).toBeNull();
    expect(binary.value!.toString()).not.toBe('255,0,7'); // a Buffer on Node, as kafkajs gives
    expect(typeof binary.timestamp).toBe('number');
  });

  it('commits on disconnect, and a restarted consumer resumes after what was processed', async () => {
    const topic = await topicWith(2, 3);
    const groupId = uniqueTopic('g');
    const first = collector();
    const c1 = consumer(groupId, { fromBeginning: true });
    await c1.subscribe({ topics: [topic] });
    await c1.run({ eachMessage: first.eachMessage });
    await waitFor(() => first.seen.length === 6);
    await c1.disconnect();
    expect(await streambed.admin().groupLag(groupId, topic)).toMatchObject([
      { partition: 0, offset: 3, lag: 0 },
      { partition: 1, offset: 3, lag: 0 },
    ]);

    const producer = streambed.producer();
    await producer.send({ topic, messages: [{ partition: 1, value: 'later' }] });
    await producer.disconnect();
    const second = collector();
    const c2 = consumer(groupId, { fromBeginning: true });
    await c2.subscribe({ topics: [topic] });
    await c2.run({ eachMessage: second.eachMessage });
    await waitFor(() => second.seen.length === 1);
    expect(second.seen).toEqual(['1/3/later']);
  });

  it('starts at the latest offset without a commit when fromBeginning is false', async () => {
    const topic = await topicWith(1, 5);
    const seen = collector();
    const c = consumer(uniqueTopic('g'));
    await c.subscribe({ topics: [topic], fromBeginning: false });
    await c.run({ eachMessage: seen.eachMessage });
    const producer = streambed.producer();
    await producer.send({ topic, messages: [{ value: 'new' }] });
    await producer.disconnect();
    await waitFor(() => seen.seen.length === 1);
    expect(seen.seen).toEqual(['0/5/new']);
  });

  it('eachBatch: resolves the batch’s last offset when it returns, and commits it', async () => {
    const topic = await topicWith(1, 20);
    const groupId = uniqueTopic('g');
    const batches: number[][] = [];
    const c = consumer(groupId, { fromBeginning: true, maxRecords: 8 });
    await c.subscribe({ topics: [topic] });
    await c.run({
      eachBatch: async ({ batch, isStale, isRunning }) => {
        expect(isStale()).toBe(false);
        expect(isRunning()).toBe(true);
        batches.push(batch.messages.map((m) => m.offset));
        expect(batch.highWatermark).toBe(20);
      },
    });
    await waitFor(() => batches.flat().length === 20);
    expect(batches.flat()).toEqual([...Array(20).keys()]);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(8);
    await c.disconnect();
    expect((await streambed.admin().groupLag(groupId, topic))[0]).toMatchObject({ offset: 20, lag: 0 });
  });

  it('seeks back, and pauses and resumes a partition', async () => {
    const topic = await topicWith(2, 5);
    const seen = collector();
    const c = consumer(uniqueTopic('g'), { fromBeginning: true });
    await c.subscribe({ topics: [topic] });
    c.pause([{ topic, partitions: [1] }]);
    await c.run({ eachMessage: seen.eachMessage });
    await waitFor(() => seen.seen.length === 5);
    expect(c.paused()).toEqual([{ topic, partitions: [1] }]);
    expect(seen.seen.every((s) => s.startsWith('0/'))).toBe(true);

    c.seek({ topic, partition: 0, offset: 3 });
    await waitFor(() => seen.seen.length === 7);
    expect(seen.seen.slice(5)).toEqual(['0/3/p0-3', '0/4/p0-4']);

    c.resume([{ topic, partitions: [1] }]);
    await waitFor(() => seen.seen.length === 12);
    expect(seen.seen.slice(7)).toEqual([0, 1, 2, 3, 4].map((i) => `1/${i}/p1-${i}`));
    expect(c.paused()).toEqual([]);
  });

  it('with autoCommit off, commits only what commitOffsets says', async () => {
    const topic = await topicWith(1, 4);
    const groupId = uniqueTopic('g');
    const seen = collector();
    const c = consumer(groupId, { fromBeginning: true, autoCommit: false });
    await c.subscribe({ topics: [topic] });
    await c.run({ eachMessage: seen.eachMessage });
    await waitFor(() => seen.seen.length === 4);
    await c.commitOffsets([{ topic, partition: 0, offset: 2 }]);
    await c.disconnect();
    expect((await streambed.admin().groupLag(groupId, topic))[0]).toMatchObject({ offset: 2, lag: 2 });
  });

  it('splits partitions with a second member after a rebalance, and takes them back when it leaves', async () => {
    const topic = await topicWith(4, 0);
    const groupId = uniqueTopic('g');
    const a = consumer(groupId, { fromBeginning: true });
    const b = consumer(groupId, { fromBeginning: true });
    const seenA = collector();
    const seenB = collector();
    await a.subscribe({ topics: [topic] });
    await b.subscribe({ topics: [topic] });
    await a.run({ eachMessage: seenA.eachMessage });
    expect(a.assignment()).toHaveLength(4);
    await b.run({ eachMessage: seenB.eachMessage });
    await waitFor(() => a.assignment().length === 2 && b.assignment().length === 2);
    const owned = [...a.assignment(), ...b.assignment()].map((tp) => tp.partition).sort();
    expect(owned).toEqual([0, 1, 2, 3]);

    const producer = streambed.producer();
    await producer.send({ topic, messages: Array.from({ length: 40 }, (_, i) => ({ partition: i % 4, value: `v${i}` })) });
    await waitFor(() => seenA.seen.length + seenB.seen.length >= 40);
    const partitionsOf = (s: string[]) => new Set(s.map((x) => Number(x.split('/')[0])));
    expect([...partitionsOf(seenA.seen)].sort()).toEqual(a.assignment().map((tp) => tp.partition).sort());
    expect([...partitionsOf(seenB.seen)].sort()).toEqual(b.assignment().map((tp) => tp.partition).sort());

    await b.disconnect();
    await waitFor(() => a.assignment().length === 4);
    await producer.send({ topic, messages: Array.from({ length: 4 }, (_, i) => ({ partition: i, value: `after${i}` })) });
    await producer.disconnect();
    await waitFor(() => seenA.seen.filter((s) => s.includes('/after')).length === 4);
    // b committed what it processed before leaving: a did not re-read it.
    const total = seenA.seen.length + seenB.seen.length;
    expect(total).toBe(44);
  });
});
