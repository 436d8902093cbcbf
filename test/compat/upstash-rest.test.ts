/**
 * The Upstash REST endpoints at the HTTP level, in the forms @upstash/kafka does not use (path
 * forms, GET variants, bodies of success and error answers), as Upstash documents them.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api, type Api } from '../helpers/http';
import { createTopic, uniqueGroup } from './upstash-helpers';

let http: Api;
beforeAll(() => {
  http = api(inject('baseUrl'));
});

describe('produce forms', () => {
  it('GET /produce/{topic}/{message}?key= answers one metadata object', async () => {
    const topic = await createTopic(http, 1);
    const res = await http.get(`/produce/${topic}/hello_kafka?key=city`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ topic, partition: 0, offset: 0, timestamp: expect.any(Number) });
    const fetched = await http.post('/fetch', { topic, partition: 0, offset: 0, timeout: 0 });
    expect(fetched.body).toMatchObject([{ key: 'city', value: 'hello_kafka', headers: [] }]);
  });

  it('POST /produce/{topic} takes one message or an array and answers an array', async () => {
    const topic = await createTopic(http, 1);
    const one = await http.post(`/produce/${topic}`, { value: 'a' });
    expect(one.body).toEqual([expect.objectContaining({ topic, offset: 0 })]);
    const many = await http.post(`/produce/${topic}`, [{ value: 'b' }, { value: 'c', headers: [{ key: 'h', value: 'v' }] }]);
    expect((many.body as { offset: number }[]).map((m) => m.offset)).toEqual([1, 2]);
  });
});

describe('consume path form and headers', () => {
  it('GET /consume/{group}/{instance}/{topic}?timeout= consumes; Kafka-Auto-Offset-Reset applies at creation', async () => {
    const topic = await createTopic(http, 1);
    await http.post('/produce', [{ topic, value: 'x' }, { topic, value: 'y' }]);
    const group = uniqueGroup();
    const res = await http.raw('GET', `/consume/${group}/i/${topic}?timeout=0`, undefined, { 'Kafka-Auto-Offset-Reset': 'earliest', 'Kafka-Enable-Auto-Commit': 'false' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((res.body as { value: string }[]).map((m) => m.value)).toEqual(['x', 'y']);
  });

  it('Kafka-Auto-Offset-Reset: none without a committed offset is refused', async () => {
    const topic = await createTopic(http, 1);
    const group = uniqueGroup();
    const res = await http.raw('POST', `/consume/${group}/i`, JSON.stringify({ topic, timeout: 0 }), { 'Kafka-Auto-Offset-Reset': 'none' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.stringMatching(/no committed offset/), status: 400 });
    // The instance joined all the same (as a Kafka consumer that threw from poll()): it can be removed.
    expect((await http.post(`/delete-consumer/${group}/i`)).body).toEqual({ result: 'Success', status: 200 });
  });

  it('a bad header value is refused with what to send', async () => {
    const topic = await createTopic(http, 1);
    const res = await http.raw('POST', `/consume/${uniqueGroup()}/i`, JSON.stringify({ topic }), { 'Kafka-Enable-Auto-Commit': 'maybe' });
    expect(res.body).toEqual({ error: expect.stringMatching(/Kafka-Enable-Auto-Commit must be true or false/), status: 400 });
  });
});

describe('commit and delete-consumer answers', () => {
  it('commit and delete-consumer answer {"result": "Success", "status": 200}; an unknown instance is 404', async () => {
    const topic = await createTopic(http, 1);
    const group = uniqueGroup();
    await http.post(`/consume/${group}/i`, { topic, timeout: 0 });
    expect((await http.post(`/commit/${group}/i`)).body).toEqual({ result: 'Success', status: 200 });
    expect((await http.post(`/delete-consumer/${group}/i`)).body).toEqual({ result: 'Success', status: 200 });
    const again = await http.post(`/delete-consumer/${group}/i`);
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ error: expect.stringMatching(/consumer instance "i" does not exist/), status: 404 });
    expect((await http.post(`/commit/${group}/gone`)).status).toBe(404);
  });
});

describe('errors are Upstash-shaped', () => {
  it.each([
    ['POST', '/produce', JSON.stringify({ topic: 'missing-topic-x', value: 'v' }), 404],
    ['POST', '/produce', '{not json', 400],
    ['POST', '/fetch', JSON.stringify({ topic: 'missing-topic-x', partition: 0, offset: 0 }), 404],
    ['POST', '/fetch', JSON.stringify({ topic: 'x', partition: -1, offset: 0 }), 400],
    ['POST', '/offsets/yesterday', JSON.stringify([]), 400],
    ['POST', '/consume/bad group/i', JSON.stringify({ topic: 't' }), 400],
  ])('%s %s %s → %d', async (method, path, body, status) => {
    const res = await http.raw(method, path, body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error: expect.any(String), status });
  });

  it('a fetch beyond the end gives [] (those offsets may still come to exist)', async () => {
    const topic = await createTopic(http, 1);
    const beyond = await http.post('/fetch', { topic, partition: 0, offset: 5, timeout: 0 });
    expect(beyond).toMatchObject({ status: 200, body: [] });
  });
});
