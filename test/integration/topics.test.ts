import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api, uniqueTopic, type Api } from '../helpers/http';

let http: Api;
beforeAll(() => {
  http = api(inject('baseUrl'));
});

describe('POST /v1/topics', () => {
  it('creates a topic with defaults filled in', async () => {
    const name = uniqueTopic('orders');
    const res = await http.post('/v1/topics', { name, partitions: 3, config: { 'retention.ms': 1000 } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      name,
      partitions: 3,
      config: { 'retention.ms': 1000, 'retention.bytes': -1, 'max.message.bytes': 1048576, 'compression.type': 'none' },
    });
  });

  it('defaults to one partition', async () => {
    const name = uniqueTopic();
    const res = await http.post('/v1/topics', { name });
    expect(res.status).toBe(201);
    expect(res.body.partitions).toBe(1);
  });

  it('refuses a second topic of the same name with 409 TOPIC_ALREADY_EXISTS', async () => {
    const name = uniqueTopic();
    expect((await http.post('/v1/topics', { name })).status).toBe(201);
    const again = await http.post('/v1/topics', { name, partitions: 5 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('TOPIC_ALREADY_EXISTS');
    const described = await http.get(`/v1/topics/${name}`);
    expect(described.body.partitions).toHaveLength(1);
  });

  it.each([
    ['bad name', 'INVALID_TOPIC'],
    ['.', 'INVALID_TOPIC'],
    ['..', 'INVALID_TOPIC'],
    ['', 'INVALID_TOPIC'],
    ['x'.repeat(250), 'INVALID_TOPIC'],
    ['ümlaut', 'INVALID_TOPIC'],
  ])('refuses the name %j with %s', async (name, code) => {
    const res = await http.post('/v1/topics', { name });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(/\[a-zA-Z0-9._-\]/);
  });

  it('accepts a 249-character name of every allowed character class', async () => {
    const name = `A.z_0-${uniqueTopic()}`.padEnd(249, 'x');
    expect((await http.post('/v1/topics', { name })).status).toBe(201);
  });

  it.each([0, -1, 1025, 1.5])('refuses %s partitions with INVALID_PARTITIONS', async (partitions) => {
    const res = await http.post('/v1/topics', { name: uniqueTopic(), partitions });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_PARTITIONS');
  });

  it.each([
    [{ partitions: 3 }, 'INVALID_REQUEST'],
    [{ name: 42 }, 'INVALID_REQUEST'],
    [{ name: 'ok-name-x', partitions: '3' }, 'INVALID_REQUEST'],
    [{ name: 'ok-name-y', config: 'gzip' }, 'INVALID_REQUEST'],
    [{ name: 'ok-name-z', config: { 'cleanup.policy': 'compact' } }, 'INVALID_CONFIG'],
    [{ name: 'ok-name-w', config: { 'retention.ms': -2 } }, 'INVALID_CONFIG'],
    [{ name: 'ok-name-v', config: { 'retention.ms': 'soon' } }, 'INVALID_CONFIG'],
    [{ name: 'ok-name-u', config: { 'compression.type': 'brotli' } }, 'INVALID_CONFIG'],
    [{ name: 'ok-name-t', config: { 'max.message.bytes': -1 } }, 'INVALID_CONFIG'],
  ])('refuses %j with %s and creates nothing', async (body, code) => {
    const res = await http.post('/v1/topics', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(typeof res.body.error.message).toBe('string');
    if (typeof (body as { name?: unknown }).name === 'string') {
      expect((await http.get(`/v1/topics/${(body as { name: string }).name}`)).status).toBe(404);
    }
  });

  it('refuses malformed JSON with INVALID_REQUEST', async () => {
    const res = await http.raw('POST', '/v1/topics', '{"name": "x"');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
  });

  it('accepts numeric strings for numeric config, as Kafka tools send them', async () => {
    const res = await http.post('/v1/topics', { name: uniqueTopic(), config: { 'retention.ms': '-1', 'compression.type': 'gzip' } });
    expect(res.status).toBe(201);
    expect(res.body.config['retention.ms']).toBe(-1);
  });
});

describe('GET /v1/topics and /v1/topics/{topic}', () => {
  it('lists topics with their partition counts', async () => {
    const name = uniqueTopic();
    await http.post('/v1/topics', { name, partitions: 4 });
    const res = await http.get('/v1/topics');
    expect(res.status).toBe(200);
    expect(res.body.topics).toContainEqual({ name, partitions: 4 });
  });

  it('describes partitions with log start, high watermark and leader epoch', async () => {
    const name = uniqueTopic();
    await http.post('/v1/topics', { name, partitions: 2 });
    await http.post(`/v1/topics/${name}/records`, { records: [{ value: 'a', partition: 1 }, { value: 'b', partition: 1 }] });
    const res = await http.get(`/v1/topics/${name}`);
    expect(res.status).toBe(200);
    expect(res.body.name).toBe(name);
    expect(res.body.config['max.message.bytes']).toBe(1048576);
    expect(res.body.partitions).toEqual([
      { partition: 0, logStartOffset: 0, highWatermark: 0, leaderEpoch: 0 },
      { partition: 1, logStartOffset: 0, highWatermark: 2, leaderEpoch: 0 },
    ]);
  });

  it('answers 404 UNKNOWN_TOPIC_OR_PARTITION for a missing topic and 400 INVALID_TOPIC for an impossible name', async () => {
    const missing = await http.get(`/v1/topics/${uniqueTopic('missing')}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    const bad = await http.get('/v1/topics/bad%20name');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_TOPIC');
  });
});

describe('DELETE /v1/topics/{topic}', () => {
  it('removes the topic and its data; a new topic of the same name starts empty', async () => {
    const name = uniqueTopic();
    await http.post('/v1/topics', { name });
    await http.post(`/v1/topics/${name}/records`, { records: [{ value: 'old-1' }, { value: 'old-2' }] });
    const del = await http.del(`/v1/topics/${name}`);
    expect(del.status).toBe(204);
    expect((await http.get(`/v1/topics/${name}`)).status).toBe(404);
    const produce = await http.post(`/v1/topics/${name}/records`, { records: [{ value: 'x' }] });
    expect(produce.status).toBe(404);
    expect(produce.body.error.code).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect((await http.del(`/v1/topics/${name}`)).status).toBe(404);

    await http.post('/v1/topics', { name });
    const fresh = await http.get(`/v1/topics/${name}/partitions/0/records?offset=0`);
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ records: [], highWatermark: 0, logStartOffset: 0, nextOffset: 0 });
  });
});
