/**
 * The idempotent producer end to end: a produce call whose response is lost is retried with the
 * same body, and the server appends it once (DESIGN.md invariant 5). The control case (the same
 * loss without idempotence) shows the duplicate the test would otherwise miss.
 *
 * Skipped only while the server refuses `producer` (400 INVALID_REQUEST): it probes first.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { Streambed, type FetchFn } from '../../../lib/client';
import { api, uniqueTopic, type Api } from '../../helpers/http';

let http: Api;
let url: string;
let supported = false;

beforeAll(async () => {
  url = inject('baseUrl');
  http = api(url);
  const probe = uniqueTopic('idem-probe');
  expect((await http.post('/v1/topics', { name: probe, partitions: 1 })).status).toBe(201);
  const res = await http.post(`/v1/topics/${probe}/records`, { records: [{ value: 'p', partition: 0 }], producer: { id: 'probe', epoch: 0, sequences: { 0: 0 } } });
  supported = res.status === 200;
  if (!supported) expect(res.body.error.code).toBe('INVALID_REQUEST');
});

/** A fetch that delivers the first produce call to the server but "loses" its response. */
function losingFirstResponse(): { fetch: FetchFn; lost: () => number } {
  let lost = 0;
  return {
    lost: () => lost,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      if (init?.method === 'POST' && /\/records$/.test(String(input)) && lost === 0) {
        lost++;
        await res.text();
        throw new TypeError('fetch failed (response lost by the test)');
      }
      return res;
    },
  };
}

async function values(topic: string, partition: number): Promise<string[]> {
  const res = await http.get(`/v1/topics/${topic}/partitions/${partition}/records?offset=0&maxRecords=10000`);
  return res.body.records.map((r: { value: string }) => r.value);
}

describe('idempotent producer (local stack)', () => {
  it('appends a retried call once and answers the retry with the original offsets', async (ctx) => {
    if (!supported) ctx.skip();
    const topic = uniqueTopic('idem');
    await http.post('/v1/topics', { name: topic, partitions: 3 });
    const net = losingFirstResponse();
    const producer = new Streambed({ url, fetch: net.fetch, retry: { initialRetryTime: 20 } }).producer({ idempotent: true, lingerMs: 5 });
    const messages = Array.from({ length: 30 }, (_, i) => ({ partition: i % 3, value: `m${i}` }));
    const meta = await producer.send({ topic, messages });
    // A second batch continues the sequences.
    const more = await producer.send({ topic, messages: [{ partition: 0, value: 'after' }] });
    await producer.disconnect();

    expect(net.lost()).toBe(1);
    for (let p = 0; p < 3; p++) {
      const expected = messages.filter((m) => m.partition === p).map((m) => m.value);
      if (p === 0) expected.push('after');
      expect(await values(topic, p)).toEqual(expected);
      expect(meta.filter((m) => m.partition === p).map((m) => m.offset)).toEqual([...Array(10).keys()]);
    }
    expect(more[0]).toMatchObject({ partition: 0, offset: 10 });
  });

  it('(control) without idempotence the same lost response makes a duplicate', async (ctx) => {
    if (!supported) ctx.skip();
    const topic = uniqueTopic('idem-control');
    await http.post('/v1/topics', { name: topic, partitions: 1 });
    const net = losingFirstResponse();
    const producer = new Streambed({ url, fetch: net.fetch, retry: { initialRetryTime: 20 } }).producer();
    await producer.send({ topic, messages: [{ value: 'once' }] });
    await producer.disconnect();
    expect(await values(topic, 0)).toEqual(['once', 'once']);
  });
});
