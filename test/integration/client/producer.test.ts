/**
 * The producer against the local stack: client-side batching (counted at the transport),
 * Kafka's partitioner on both sides, per-key order, and the API's typed errors.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { Streambed, StreambedClientError } from '../../../lib/client';
import { defaultPartition } from '../../../lib/protocol/murmur2';
import { api, uniqueTopic, type Api } from '../../helpers/http';
import { countingClient, PRODUCE_PATH } from './client-helpers';

let http: Api;
let url: string;
beforeAll(() => {
  url = inject('baseUrl');
  http = api(url);
});

async function createTopic(partitions: number, config?: Record<string, unknown>): Promise<string> {
  const name = uniqueTopic('client');
  const res = await http.post('/v1/topics', { name, partitions, config });
  expect(res.status).toBe(201);
  return name;
}

/** Every record of a partition, in offset order (utf8). */
async function readAll(topic: string, partition: number): Promise<{ offset: number; key: string | null; value: string | null }[]> {
  const out: { offset: number; key: string | null; value: string | null }[] = [];
  for (let offset = 0; ; ) {
    const res = await http.get(`/v1/topics/${topic}/partitions/${partition}/records?offset=${offset}&maxRecords=10000`);
    expect(res.status).toBe(200);
    out.push(...res.body.records);
    if (res.body.nextOffset >= res.body.highWatermark) return out;
    offset = res.body.nextOffset;
  }
}

describe('producer (local stack)', () => {
  it('sends 10,000 small messages with lingerMs 20 in at most 1/20th as many HTTP calls, in per-key order', async () => {
    const partitions = 6;
    const topic = await createTopic(partitions);
    const client = countingClient(url);
    const producer = client.streambed.producer({ lingerMs: 20 });
    const keys = Array.from({ length: 50 }, (_, i) => `key-${i}`);
    const total = 10_000;
    const sends: Promise<unknown>[] = [];
    const acks: { key: string; seq: number; partition: number; offset?: number }[] = [];
    for (let i = 0; i < total; i++) {
      const key = keys[i % keys.length];
      const seq = Math.floor(i / keys.length);
      const sent = producer.send({ topic, messages: [{ key, value: `${key}:${seq}` }] }).then(([m]) => acks.push({ key, seq, partition: m.partition, offset: m.offset }));
      sends.push(sent);
      // The first send fetches the partition count; then messages arrive over time, as from an
      // application (≥ 500 pauses of ≥ 1 ms: many linger windows), not all in one tick.
      if (i === 0) await sent;
      else if (i % 20 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(sends);
    await producer.disconnect();

    const produceCalls = client.count('POST', PRODUCE_PATH);
    expect(produceCalls).toBeGreaterThan(1);
    expect(produceCalls).toBeLessThanOrEqual(total / 20);
    expect(client.count('GET', /^\/v1\/topics\/[^/]+$/)).toBe(1); // the partition count, fetched once

    // Every message acknowledged once, on Kafka's partition for its key, at a distinct offset.
    expect(acks).toHaveLength(total);
    for (const a of acks) expect(a.partition).toBe(defaultPartition(Buffer.from(a.key), partitions));
    expect(new Set(acks.map((a) => `${a.partition}/${a.offset}`)).size).toBe(total);

    // The log holds exactly them, and per key in send order.
    let stored = 0;
    for (let p = 0; p < partitions; p++) {
      const records = await readAll(topic, p);
      stored += records.length;
      expect(records.map((r) => r.offset)).toEqual([...records.keys()]);
      const lastSeq = new Map<string, number>();
      for (const r of records) {
        const [key, seq] = r.value!.split(':');
        expect(r.key).toBe(key);
        expect(Number(seq)).toBe((lastSeq.get(key) ?? -1) + 1);
        lastSeq.set(key, Number(seq));
      }
    }
    expect(stored).toBe(total);
  });

  it('puts a keyed record on the partition the server itself would choose', async () => {
    const topic = await createTopic(7);
    const producer = new Streambed({ url }).producer();
    for (const key of ['a', 'user-1', 'ключ', 'x'.repeat(100)]) {
      const [mine] = await producer.send({ topic, messages: [{ key, value: 'v' }] });
      const theirs = await http.post(`/v1/topics/${topic}/records`, { records: [{ key, value: 'v' }] });
      expect(mine.partition).toBe(theirs.body.records[0].partition);
    }
    await producer.disconnect();
  });

  it('rejects with the API’s typed errors', async () => {
    const topic = await createTopic(2, { 'max.message.bytes': 1000 });
    const producer = new Streambed({ url, retry: { retries: 1, initialRetryTime: 10 } }).producer();
    const unknown = await producer.send({ topic: `${topic}-missing`, messages: [{ value: 'x' }] }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(StreambedClientError);
    expect(unknown).toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION', status: 404, retriable: false });
    await expect(producer.send({ topic, messages: [{ value: 'x'.repeat(5000) }] })).rejects.toMatchObject({ code: 'RECORD_TOO_LARGE', status: 413 });
    await expect(producer.send({ topic, messages: [{ value: 'x', partition: 2 }] })).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION' });
    // The producer still works after failures.
    const [ok] = await producer.send({ topic, messages: [{ value: 'fine', partition: 1 }] });
    expect(ok).toMatchObject({ topicName: topic, partition: 1, offset: 0 });
    await producer.disconnect();
  });

  it('resolves acks "none" sends without offsets, and the records arrive', async () => {
    const topic = await createTopic(1);
    const producer = new Streambed({ url }).producer({ acks: 'none' });
    const [meta] = await producer.send({ topic, messages: [{ value: 'fire-and-forget' }] });
    expect(meta).toEqual({ topicName: topic, partition: 0, errorCode: 0 });
    await producer.disconnect();
    await expect.poll(async () => (await readAll(topic, 0)).map((r) => r.value), { timeout: 30_000, interval: 200 }).toEqual(['fire-and-forget']);
  });
});
