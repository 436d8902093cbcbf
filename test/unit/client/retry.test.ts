/**
 * The retry helper against a real HTTP server (node:http) that fails first and then answers:
 * 503 and 429 (with retry-after) are retried, dropped connections too, everything else is not.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Streambed, StreambedClientError, backoffDelay, retry } from '../../../lib/client';
import { Transport } from '../../../lib/client/transport';
import { apiError, scriptedServer, type ScriptedServer } from '../../helpers/scripted-server';

const fast = { initialRetryTime: 5, maxRetryTime: 20, retries: 5 };
const topicsBody = { status: 200, body: { topics: [{ name: 'orders', partitions: 3 }] } };

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('retry helper', () => {
  it('retries 503 UNAVAILABLE with backoff until the server answers', async () => {
    server = await scriptedServer((_req, n) => (n < 3 ? apiError(503, 'UNAVAILABLE') : topicsBody));
    const admin = new Streambed({ url: server.url, retry: fast }).admin();
    expect(await admin.listTopics()).toEqual(['orders']);
    expect(server.requests).toHaveLength(4);
  });

  it('honours retry-after on 429 THROTTLED (the wait is at least what the server asked)', async () => {
    server = await scriptedServer((_req, n) => (n === 0 ? apiError(429, 'THROTTLED', 'slow down', { 'retry-after': '1' }) : topicsBody));
    const transport = new Transport({ url: server.url });
    const delays: number[] = [];
    const res = await retry(() => transport.request('GET', '/v1/topics'), fast, { onRetry: (_err, _attempt, delay) => delays.push(delay) });
    expect(res.status).toBe(200);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(1000); // fast backoff alone would be ≤ 20 ms
    expect(server.requests).toHaveLength(2);
  });

  it('retries a dropped connection (network error)', async () => {
    server = await scriptedServer((_req, n) => (n < 2 ? 'destroy' : topicsBody));
    const admin = new Streambed({ url: server.url, retry: fast }).admin();
    expect(await admin.listTopics()).toEqual(['orders']);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a non-retriable error and rejects with its typed code', async () => {
    server = await scriptedServer(() => apiError(404, 'UNKNOWN_TOPIC_OR_PARTITION', 'topic "nope" does not exist'));
    const admin = new Streambed({ url: server.url, retry: fast }).admin();
    const err = await admin.describeTopic('nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreambedClientError);
    expect(err).toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION', status: 404, retriable: false });
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry an unknown code even on a 503', async () => {
    server = await scriptedServer(() => apiError(503, 'BRAND_NEW_CODE'));
    const admin = new Streambed({ url: server.url, retry: fast }).admin();
    await expect(admin.listTopics()).rejects.toMatchObject({ code: 'UNKNOWN', retriable: false });
    expect(server.requests).toHaveLength(1);
  });

  it('gives up after `retries` and rejects with the last error', async () => {
    server = await scriptedServer(() => apiError(503, 'UNAVAILABLE', 'storage down'));
    const admin = new Streambed({ url: server.url, retry: { ...fast, retries: 2 } }).admin();
    await expect(admin.listTopics()).rejects.toMatchObject({ code: 'UNAVAILABLE', retriable: true });
    expect(server.requests).toHaveLength(3);
  });

  it('reports a refused connection as a retriable NETWORK_ERROR', async () => {
    server = await scriptedServer(() => topicsBody);
    const url = server.url;
    await server.close();
    server = undefined;
    const admin = new Streambed({ url, retry: { ...fast, retries: 1 } }).admin();
    await expect(admin.listTopics()).rejects.toMatchObject({ code: 'NETWORK_ERROR', retriable: true });
  });

  it('never retries what is not a StreambedClientError', async () => {
    let calls = 0;
    await expect(
      retry(async () => {
        calls++;
        throw new TypeError('a bug');
      }, fast),
    ).rejects.toThrow('a bug');
    expect(calls).toBe(1);
  });

  it('grows delays exponentially with jitter inside [1 − factor, 1 + factor], capped', () => {
    const opts = { initialRetryTime: 100, multiplier: 2, factor: 0.2, maxRetryTime: 1000 };
    expect(backoffDelay(0, opts, () => 0)).toBe(80);
    expect(backoffDelay(0, opts, () => 1)).toBe(120);
    expect(backoffDelay(3, opts, () => 0.5)).toBe(800);
    expect(backoffDelay(10, opts, () => 1)).toBe(1000);
  });
});
