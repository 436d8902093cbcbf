import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api, uniqueTopic, type Api } from '../helpers/http';

let http: Api;
beforeAll(() => {
  http = api(inject('baseUrl'));
});

async function topic(partitions = 1, config?: Record<string, unknown>): Promise<string> {
  const name = uniqueTopic();
  const res = await http.post('/v1/topics', { name, partitions, config });
  expect(res.status).toBe(201);
  return name;
}

const records = (name: string, p = 0, q = 'offset=0') => http.get(`/v1/topics/${name}/partitions/${p}/records?${q}`);

describe('produce and fetch', () => {
  it('round-trips keys, values, null values, ordered duplicate headers and timestamps', async () => {
    const name = await topic();
    const sent = [
      { key: 'user-1', value: 'hello', headers: [{ key: 'h', value: 'v1' }, { key: 'h', value: 'v2' }, { key: 'n', value: null }], timestamp: 1700000000000 },
      { value: null },
      { key: 'ключ', value: 'значение ✓' },
      { value: '' },
    ];
    const prod = await http.post(`/v1/topics/${name}/records`, { records: sent });
    expect(prod.status).toBe(200);
    expect(prod.body.records.map((r: any) => [r.partition, r.offset])).toEqual([[0, 0], [0, 1], [0, 2], [0, 3]]);
    expect(prod.body.records[0].timestamp).toBe(1700000000000);
    expect(typeof prod.body.records[1].timestamp).toBe('number');

    const res = await records(name);
    expect(res.status).toBe(200);
    expect(res.body.highWatermark).toBe(4);
    expect(res.body.logStartOffset).toBe(0);
    expect(res.body.nextOffset).toBe(4);
    expect(res.body.records[0]).toEqual({
      offset: 0,
      timestamp: 1700000000000,
      key: 'user-1',
      value: 'hello',
      headers: [{ key: 'h', value: 'v1' }, { key: 'h', value: 'v2' }, { key: 'n', value: null }],
    });
    expect(res.body.records[1]).toMatchObject({ offset: 1, key: null, value: null, headers: [] });
    expect(res.body.records[2]).toMatchObject({ key: 'ключ', value: 'значение ✓' });
    expect(res.body.records[3]).toMatchObject({ offset: 3, value: '' });
  });

  it('carries binary data with encoding=base64 both ways', async () => {
    const name = await topic();
    const bytes = Buffer.from([0, 255, 1, 128, 10, 13]);
    const prod = await http.post(`/v1/topics/${name}/records`, {
      encoding: 'base64',
      records: [{ key: Buffer.from([1, 2]).toString('base64'), value: bytes.toString('base64'), headers: [{ key: 'bin', value: 'AAE=' }] }],
    });
    expect(prod.status).toBe(200);
    const res = await records(name, 0, 'offset=0&encoding=base64');
    expect(res.body.records[0]).toMatchObject({ key: 'AQI=', value: bytes.toString('base64'), headers: [{ key: 'bin', value: 'AAE=' }] });
  });

  it("places keyed records with Kafka's default partitioner (murmur2) and honours explicit partitions", async () => {
    const name = await topic(12);
    const prod = await http.post(`/v1/topics/${name}/records`, {
      records: [{ key: '100:48069', value: 'a' }, { key: '100:48069', value: 'b' }, { value: 'c', partition: 3 }],
    });
    expect(prod.status).toBe(200);
    expect(prod.body.records).toMatchObject([{ partition: 9, offset: 0 }, { partition: 9, offset: 1 }, { partition: 3, offset: 0 }]);
    expect((await records(name, 9)).body.records.map((r: any) => r.value)).toEqual(['a', 'b']);
    const other = await topic(32);
    const p = await http.post(`/v1/topics/${other}/records`, { records: [{ key: 'fd7af248-ce5c-46a5-93d7-1c0c9005b99d', value: 'x' }] });
    expect(p.body.records[0].partition).toBe(26);
  });

  it('keeps all unkeyed records of one request together and answers in request order across partitions', async () => {
    const name = await topic(4);
    const prod = await http.post(`/v1/topics/${name}/records`, {
      records: [{ value: 'u1' }, { value: 'p2', partition: 2 }, { value: 'u2' }, { value: 'p0', partition: 0 }, { value: 'p2b', partition: 2 }],
    });
    expect(prod.status).toBe(200);
    const out: Array<{ partition: number; offset: number }> = prod.body.records;
    expect(out[0].partition).toBe(out[2].partition);
    expect(out.map((r) => r.partition).slice(1)).toEqual([2, out[0].partition, 0, 2]);
    // Within each partition the request's records are one batch: consecutive offsets in request order.
    for (const p of new Set(out.map((r) => r.partition))) {
      const offsets = out.filter((r) => r.partition === p).map((r) => r.offset);
      expect(offsets).toEqual(offsets.map((_, k) => offsets[0] + k));
    }
    for (const [i, r] of out.entries()) {
      const back = await records(name, r.partition, `offset=${r.offset}&maxRecords=1`);
      expect(back.body.records[0].value).toBe(['u1', 'p2', 'u2', 'p0', 'p2b'][i]);
    }
  });

  it('pages with maxRecords and nextOffset, and returns at least one record over maxBytes', async () => {
    const name = await topic();
    for (let i = 0; i < 5; i++) {
      await http.post(`/v1/topics/${name}/records`, { records: [{ value: `v${2 * i}` }, { value: `v${2 * i + 1}` }] });
    }
    const seen: string[] = [];
    let offset = 0;
    for (let guard = 0; guard < 20 && offset < 10; guard++) {
      const res = await records(name, 0, `offset=${offset}&maxRecords=3`);
      expect(res.body.records.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.records.map((r: any) => r.value));
      offset = res.body.nextOffset;
    }
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`));
    const mid = await records(name, 0, 'offset=3&maxRecords=2');
    expect(mid.body.records.map((r: any) => r.offset)).toEqual([3, 4]);
    const tiny = await records(name, 0, 'offset=0&maxBytes=1');
    expect(tiny.body.records).toHaveLength(1);
    expect(tiny.body.nextOffset).toBe(1);
    const capped = await records(name, 0, 'offset=0&maxRecords=99999');
    expect(capped.status).toBe(200);
    expect(capped.body.records).toHaveLength(10);
  });

  it('stores compressed batches for topics with compression.type and reads them back', async () => {
    for (const compression of ['gzip', 'zstd', 'snappy', 'lz4']) {
      const name = await topic(1, { 'compression.type': compression });
      const value = `${compression} `.repeat(500);
      expect((await http.post(`/v1/topics/${name}/records`, { records: [{ value }, { key: 'k', value }] })).status).toBe(200);
      const res = await records(name);
      expect(res.body.records.map((r: any) => r.value)).toEqual([value, value]);
    }
  });

  it('long-polls: a fetch at the high watermark waits for the next record', async () => {
    const name = await topic();
    const pending = records(name, 0, 'offset=0&waitMs=10000');
    await new Promise((r) => setTimeout(r, 300));
    await http.post(`/v1/topics/${name}/records`, { records: [{ value: 'late' }] });
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.body.records.map((r: any) => r.value)).toEqual(['late']);
  });

  it('answers an empty list at the high watermark when nothing arrives within waitMs', async () => {
    const name = await topic();
    await http.post(`/v1/topics/${name}/records`, { records: [{ value: 'only' }] });
    const res = await records(name, 0, 'offset=1&waitMs=200');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ records: [], nextOffset: 1, highWatermark: 1 });
  });

  it('accepts acks=none with 202 and appends afterwards', async () => {
    const name = await topic();
    const res = await http.post(`/v1/topics/${name}/records`, { acks: 'none', records: [{ value: 'fire-and-forget' }] });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({});
    const back = await records(name, 0, 'offset=0&waitMs=5000');
    expect(back.body.records.map((r: any) => r.value)).toEqual(['fire-and-forget']);
  });
});

describe('list offsets', () => {
  it('answers earliest, latest and by timestamp', async () => {
    const name = await topic();
    await http.post(`/v1/topics/${name}/records`, { records: [{ value: 'a', timestamp: 1000 }, { value: 'b', timestamp: 3000 }] });
    await http.post(`/v1/topics/${name}/records`, { records: [{ value: 'c', timestamp: 2000 }, { value: 'd', timestamp: 5000 }] });
    const at = async (q: string) => (await http.get(`/v1/topics/${name}/partitions/0/offsets?at=${q}`)).body.offset;
    expect(await at('earliest')).toBe(0);
    expect(await at('latest')).toBe(4);
    expect(await at('0')).toBe(0);
    expect(await at('1001')).toBe(1);
    expect(await at('3000')).toBe(1);
    expect(await at('3001')).toBe(3);
    expect(await at('9999')).toBe(4);
    const bad = await http.get(`/v1/topics/${name}/partitions/0/offsets?at=yesterday`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_REQUEST');
  });
});

describe('errors', () => {
  it('refuses bad produce requests whole, writing nothing', async () => {
    const name = await topic(2, { 'max.message.bytes': 100 });
    const cases: Array<[unknown, number, string]> = [
      [{ records: [{ value: 'ok' }, { key: 'k' }] }, 400, 'INVALID_REQUEST'],
      [{ records: [] }, 400, 'INVALID_REQUEST'],
      [{ records: 'x' }, 400, 'INVALID_REQUEST'],
      [{ records: [{ value: 'ok' }, { value: 'x', partition: -1 }] }, 400, 'INVALID_REQUEST'],
      [{ records: [{ value: 'ok' }, { value: 'x', partition: 1.5 }] }, 400, 'INVALID_REQUEST'],
      [{ records: [{ value: 'ok' }, { value: 'x', partition: '1' }] }, 400, 'INVALID_REQUEST'],
      [{ records: [{ value: 'ok', partition: 0 }, { value: 'x', partition: 2 }] }, 404, 'UNKNOWN_TOPIC_OR_PARTITION'],
      [{ encoding: 'hex', records: [{ value: 'ok' }] }, 400, 'INVALID_REQUEST'],
      [{ encoding: 'base64', records: [{ value: 'b2s=' }, { value: 'not base64!' }] }, 400, 'INVALID_REQUEST'],
      [{ records: [{ value: 'ok' }, { value: 'x'.repeat(101) }] }, 413, 'RECORD_TOO_LARGE'],
      [{ records: [{ value: 'ok', headers: [{ key: 'h' }] }] }, 400, 'INVALID_REQUEST'],
      [{ records: [{ value: 'ok', timestamp: 'now' }] }, 400, 'INVALID_REQUEST'],
    ];
    for (const [body, status, code] of cases) {
      const res = await http.post(`/v1/topics/${name}/records`, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message.length).toBeGreaterThan(5);
    }
    const invalidJson = await http.raw('POST', `/v1/topics/${name}/records`, '{"records": [');
    expect(invalidJson.body.error.code).toBe('INVALID_REQUEST');
    const badUtf8 = await http.raw('POST', `/v1/topics/${name}/records`, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    expect(badUtf8.status).toBe(400);
    expect(badUtf8.body.error.code).toBe('INVALID_REQUEST');
    for (const p of [0, 1]) expect((await records(name, p)).body.highWatermark).toBe(0);
  });

  it('refuses a body over 6 MiB with 413 REQUEST_TOO_LARGE', async () => {
    const name = await topic();
    const res = await http.post(`/v1/topics/${name}/records`, { records: [{ value: 'x'.repeat(6 * 1024 * 1024 + 10) }] });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('REQUEST_TOO_LARGE');
  });

  it('answers fetch errors with the contract codes', async () => {
    const name = await topic(2);
    await http.post(`/v1/topics/${name}/records`, { records: [{ value: 'a', partition: 0 }] });
    const expectError = async (q: string, status: number, code: string, p: string | number = 0) => {
      const res = await http.get(`/v1/topics/${name}/partitions/${p}/records?${q}`);
      expect(res.status, q).toBe(status);
      expect(res.body.error.code, q).toBe(code);
    };
    await expectError('offset=2', 416, 'OFFSET_OUT_OF_RANGE');
    await expectError('offset=-1', 400, 'INVALID_OFFSET');
    await expectError('offset=1.5', 400, 'INVALID_OFFSET');
    await expectError('offset=abc', 400, 'INVALID_OFFSET');
    await expectError('offset=0', 404, 'UNKNOWN_TOPIC_OR_PARTITION', 2);
    await expectError('offset=0', 400, 'INVALID_REQUEST', -1);
    await expectError('offset=0', 400, 'INVALID_REQUEST', 'zero');
    await expectError('offset=0&maxRecords=0', 400, 'INVALID_REQUEST');
    await expectError('offset=0&maxBytes=-5', 400, 'INVALID_REQUEST');
    await expectError('offset=0&waitMs=-1', 400, 'INVALID_REQUEST');
    await expectError('offset=0&encoding=hex', 400, 'INVALID_REQUEST');
    const missing = await http.get(`/v1/topics/${uniqueTopic('nope')}/partitions/0/records?offset=0`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    const ok = await http.get(`/v1/topics/${name}/partitions/0/records?offset=1`);
    expect(ok.body).toMatchObject({ records: [], nextOffset: 1, highWatermark: 1 });
  });
});

describe('health', () => {
  it('answers ok', async () => {
    const res = await http.get('/v1/health');
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});
