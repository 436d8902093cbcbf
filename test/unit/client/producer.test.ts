/**
 * The producer against a scripted HTTP server that behaves like the produce API (per-partition
 * offsets): client-side partitioning, per-partition accumulation, one call per flush, retries
 * that resend the same body, one call in flight per partition, splitting of oversized calls,
 * idempotent producer bodies, and typed failures.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defaultPartition } from '../../../lib/protocol/murmur2';
import { Streambed, StreambedClientError } from '../../../lib/client';
import { apiError, scriptedServer, type RecordedRequest, type ScriptedReply, type ScriptedServer } from '../../helpers/scripted-server';

const fast = { initialRetryTime: 5, maxRetryTime: 20, retries: 5 };

interface FakeOptions {
  partitions?: number;
  /** Overrides the answer of the n-th produce call (0-based). */
  failProduce?: (n: number, req: RecordedRequest) => ScriptedReply | undefined;
  /** Holds each produce answer this long (to get calls in flight together). */
  holdMs?: number;
}

interface Fake {
  server: ScriptedServer;
  produceCalls(): RecordedRequest[];
  bodies(): { records: { key?: string; value: string | null; partition: number }[]; encoding: string; producer?: { id: string; epoch: number; sequences: Record<string, number> } }[];
  /** Largest number of produce calls in flight at once that named the same partition. */
  maxSamePartitionInFlight(): number;
}

let fake: Fake | undefined;
afterEach(async () => {
  await fake?.server.close();
  fake = undefined;
});

async function fakeApi(options: FakeOptions = {}): Promise<Fake> {
  const partitions = options.partitions ?? 4;
  const next = new Map<number, number>();
  const inFlight = new Map<number, number>();
  let worst = 0;
  let produceIndex = 0;
  const server = await scriptedServer(async (req) => {
    if (req.method === 'GET' && /^\/v1\/topics\/[^/]+$/.test(req.path)) {
      return { status: 200, body: { name: 't', config: {}, partitions: Array.from({ length: partitions }, (_, p) => ({ partition: p, logStartOffset: 0, highWatermark: 0, leaderEpoch: 0 })) } };
    }
    const n = produceIndex++;
    const failed = options.failProduce?.(n, req);
    if (failed) return failed;
    const body = JSON.parse(req.body) as { records: { partition: number }[] };
    const touched = [...new Set(body.records.map((r) => r.partition))];
    for (const p of touched) {
      inFlight.set(p, (inFlight.get(p) ?? 0) + 1);
      worst = Math.max(worst, inFlight.get(p)!);
    }
    if (options.holdMs) await new Promise((r) => setTimeout(r, options.holdMs));
    for (const p of touched) inFlight.set(p, inFlight.get(p)! - 1);
    const records = body.records.map((r) => {
      const offset = next.get(r.partition) ?? 0;
      next.set(r.partition, offset + 1);
      return { partition: r.partition, offset, timestamp: 1 };
    });
    return { status: 200, body: { records } };
  });
  const produceCalls = () => server.requests.filter((r) => r.method === 'POST');
  return { server, produceCalls, bodies: () => produceCalls().map((r) => JSON.parse(r.body)), maxSamePartitionInFlight: () => worst };
}

describe('producer', () => {
  it('partitions keyed messages with Kafka’s default partitioner and sends one call per flush', async () => {
    fake = await fakeApi({ partitions: 4 });
    const producer = new Streambed({ url: fake.server.url, retry: fast }).producer({ lingerMs: 50 });
    const keys = Array.from({ length: 40 }, (_, i) => `user-${i}`);
    const sends = keys.map((key) => producer.send({ topic: 'orders', messages: [{ key, value: `v-${key}` }] }));
    const results = (await Promise.all(sends)).flat();
    results.forEach((meta, i) => {
      expect(meta.topicName).toBe('orders');
      expect(meta.partition).toBe(defaultPartition(Buffer.from(keys[i]), 4));
      expect(meta.errorCode).toBe(0);
    });
    expect(fake.produceCalls()).toHaveLength(1);
    // Offsets per partition are contiguous from 0 in send order.
    for (let p = 0; p < 4; p++) {
      expect(results.filter((m) => m.partition === p).map((m) => m.offset)).toEqual([...Array(results.filter((m) => m.partition === p).length).keys()]);
    }
    // Every record names its partition; records of a partition are together.
    const body = fake.bodies()[0];
    expect(body.encoding).toBe('utf8');
    expect(body.records.every((r) => Number.isInteger(r.partition))).toBe(true);
    await producer.disconnect();
  });

  it('fetches the partition count once and keeps unkeyed messages of a batch on one partition', async () => {
    fake = await fakeApi({ partitions: 8 });
    const producer = new Streambed({ url: fake.server.url, retry: fast }).producer({ lingerMs: 20 });
    const first = await producer.send({ topic: 'orders', messages: Array.from({ length: 30 }, (_, i) => ({ value: `a${i}` })) });
    expect(new Set(first.map((m) => m.partition)).size).toBe(1);
    await producer.send({ topic: 'orders', messages: [{ value: 'b' }] });
    expect(fake.server.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
    await producer.disconnect();
  });

  it('sends a partition’s batch as soon as it reaches batchBytes, without waiting for linger', async () => {
    fake = await fakeApi({ partitions: 1 });
    const producer = new Streambed({ url: fake.server.url, retry: fast }).producer({ lingerMs: 60_000, batchBytes: 2_000 });
    const meta = await producer.send({ topic: 'orders', messages: Array.from({ length: 10 }, () => ({ value: 'x'.repeat(300) })) });
    expect(meta).toHaveLength(10);
    await producer.disconnect();
  });

  it('flush() sends what lingers and disconnect() refuses later sends', async () => {
    fake = await fakeApi({ partitions: 2 });
    const producer = new Streambed({ url: fake.server.url, retry: fast }).producer({ lingerMs: 60_000 });
    const pending = producer.send({ topic: 'orders', messages: [{ key: 'k', value: 'v' }] });
    await producer.flush();
    expect(fake.produceCalls()).toHaveLength(1);
    await expect(pending).resolves.toHaveLength(1);
    const late = producer.send({ topic: 'orders', messages: [{ key: 'k', value: 'v2' }] });
    await producer.disconnect();
    await expect(late).resolves.toHaveLength(1);
    await expect(producer.send({ topic: 'orders', messages: [{ value: 'x' }] })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('retries 503 and 429 by resending the identical body, then resolves', async () => {
    fake = await fakeApi({
      partitions: 2,
      failProduce: (n) => (n === 0 ? apiError(503, 'UNAVAILABLE') : n === 1 ? apiError(429, 'THROTTLED', 'slow', { 'retry-after': '0' }) : undefined),
    });
    const producer = new Streambed({ url: fake.server.url, retry: fast }).producer({ idempotent: true });
    const meta = await producer.send({ topic: 'orders', messages: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] });
    expect(meta.map((m) => m.offset)).toEqual(meta.map(() => expect.any(Number)));
    const calls = fake.produceCalls();
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => c.body)).size).toBe(1);
    await producer.disconnect();
  });

  it('rejects every message of a call that failed for good with the typed error', async () => {
    fake = await fakeApi({ failProduce: () => apiError(413, 'RECORD_TOO_LARGE', 'records[0] is too large') });
    const producer = new Streambed({ url: fake.server.url, retry: fast }).producer();
    const err = await producer.send({ topic: 'orders', messages: [{ key: 'a', value: 'x' }, { key: 'b', value: 'y' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreambedClientError);
    expect(err).toMatchObject({ code: 'RECORD_TOO_LARGE', status: 413, retriable: false });
    expect(fake.produceCalls()).toHaveLength(1);
    await producer.disconnect();
  });

  it('never has two calls in flight for one partition, even with maxInFlight > 1', async () => {
    fake = await fakeApi({ partitions: 3, holdMs: 30 });
    const producer = new Streambed({ url: fake.server.url, retry: fast }).producer({ lingerMs: 0, maxInFlight: 5 });
    const sends: Promise<unknown>[] = [];
    for (let round = 0; round < 10; round++) {
      sends.push(producer.send({ topic: 'orders', messages: [{ partition: round % 3, value: `r${round}` }] }));
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(sends);
    expect(fake.maxSamePartitionInFlight()).toBe(1);
    // Per partition, the log order is the send order.
    const perPartition = new Map<number, string[]>();
    for (const b of fake.bodies()) for (const r of b.records) perPartition.set(r.partition, [...(perPartition.get(r.partition) ?? []), r.value!]);
    expect(perPartition.get(0)).toEqual(['r0', 'r3', 'r6', 'r9']);
    await producer.disconnect();
  });

  it('splits a flush that would exceed the 6 MiB body limit into several calls', async () => {
    fake = await fakeApi({ partitions: 2 });
    const producer = new Streambed({ url: fake.server.url, retry: fast }).producer({ lingerMs: 10, batchBytes: 64 * 1024 * 1024 });
    const big = 'x'.repeat(200_000);
    const meta = await producer.send({ topic: 'orders', messages: Array.from({ length: 60 }, (_, i) => ({ partition: i % 2, value: big })) });
    expect(meta).toHaveLength(60);
    const calls = fake.produceCalls();
    expect(calls.length).toBeGreaterThanOrEqual(3);
    for (const c of calls) expect(Buffer.byteLength(c.body)).toBeLessThanOrEqual(6 * 1024 * 1024);
    for (const p of [0, 1]) expect(meta.filter((m) => m.partition === p).map((m) => m.offset)).toEqual([...Array(30).keys()]);
    await producer.disconnect();
  });

  it('sends binary keys, values and headers as base64 and strings as utf8', async () => {
    fake = await fakeApi({ partitions: 1 });
    const producer = new Streambed({ url: fake.server.url, retry: fast }).producer();
    await producer.send({ topic: 'orders', messages: [{ key: new Uint8Array([1, 2]), value: 'text', headers: { h: ['a', new Uint8Array([0, 255])] } }] });
    const body = fake.bodies()[0] as unknown as { encoding: string; records: { key: string; value: string; headers: { key: string; value: string }[] }[] };
    expect(body.encoding).toBe('base64');
    expect(body.records[0]).toMatchObject({ key: 'AQI=', value: Buffer.from('text').toString('base64'), headers: [{ key: 'h', value: 'YQ==' }, { key: 'h', value: 'AP8=' }] });
    await producer.disconnect();
  });

  it('numbers idempotent sequences per partition from 0, and starts a new epoch after a failed call', async () => {
    fake = await fakeApi({ partitions: 2, failProduce: (n) => (n === 2 ? apiError(400, 'INVALID_REQUEST', 'bad') : undefined) });
    const producer = new Streambed({ url: fake.server.url, retry: fast }).producer({ idempotent: true });
    await producer.send({ topic: 'orders', messages: [{ partition: 0, value: 'a' }, { partition: 0, value: 'b' }, { partition: 1, value: 'c' }] });
    await producer.send({ topic: 'orders', messages: [{ partition: 0, value: 'd' }] });
    await expect(producer.send({ topic: 'orders', messages: [{ partition: 1, value: 'e' }] })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await producer.send({ topic: 'orders', messages: [{ partition: 0, value: 'f' }] });
    const ids = fake.bodies().map((b) => b.producer!);
    expect(new Set(ids.map((p) => p.id)).size).toBe(1);
    expect(ids.map((p) => [p.epoch, p.sequences])).toEqual([
      [0, { 0: 0, 1: 0 }],
      [0, { 0: 2 }],
      [0, { 1: 1 }],
      [1, { 0: 0 }],
    ]);
    await producer.disconnect();
  });

  it('validates messages before sending anything', async () => {
    fake = await fakeApi();
    const producer = new Streambed({ url: fake.server.url, retry: fast }).producer();
    await expect(producer.send({ topic: 'orders', messages: [{ value: 'ok' }, { key: 'k' } as never] })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(producer.send({ topic: 'orders', messages: [{ value: 'x', partition: -1 }] })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(() => new Streambed({ url: fake!.server.url }).producer({ idempotent: true, acks: 'none' })).toThrow(/acks/);
    expect(fake.server.requests).toHaveLength(0);
  });
});
