/**
 * The local stack's `GET /v1/metrics`: the in-memory aggregate of what every handler records,
 * served by the local server only (it is not in ROUTES, so no API Gateway route is made for it).
 * The shared stack serves other test files at the same time: counts are checked as increases.
 */
import { describe, expect, inject, it } from 'vitest';
import { ROUTES } from '../../../lib/api/routes';
import { api, uniqueTopic } from '../../helpers/http';

interface Summary {
  since: number;
  namespace: string;
  metrics: Array<{ name: string; unit: string; dimensions: Record<string, string>; count: number; sum: number; min: number; max: number; p50: number; p99: number }>;
}

const http = api(inject('baseUrl'));
const summary = async (): Promise<Summary> => {
  const res = await http.get<Summary>('/v1/metrics');
  expect(res.status).toBe(200);
  return res.body;
};
const sumOf = (s: Summary, name: string, dims: Record<string, string>): number =>
  s.metrics.filter((m) => m.name === name && Object.entries(dims).every(([k, v]) => m.dimensions[k] === v)).reduce((n, m) => n + m.sum, 0);

describe('GET /v1/metrics (local stack only)', () => {
  it('is not a deployed route', () => {
    expect(ROUTES.some((r) => r.path === '/v1/metrics')).toBe(false);
  });

  it('summarizes by metric and dimensions, in the Streambed namespace', async () => {
    const s = await summary();
    expect(s.namespace).toBe('Streambed');
    expect(s.since).toBeLessThanOrEqual(Date.now());
    for (const m of s.metrics) {
      expect(m.dimensions.Role, m.name).toBeTruthy();
      expect(m.min).toBeLessThanOrEqual(m.p50);
      expect(m.p50).toBeLessThanOrEqual(m.p99);
      expect(m.p99).toBeLessThanOrEqual(m.max);
    }
  });

  it('counts records and bytes in and out, requests, latency and errors by code', async () => {
    const topic = uniqueTopic('metrics');
    expect((await http.post('/v1/topics', { name: topic, partitions: 1 })).status).toBe(201);
    const before = await summary();
    const produce = { Role: 'produce', Operation: 'produce' };
    const fetchDims = { Role: 'fetch', Operation: 'fetch' };
    const records = [{ value: 'aaaa' }, { key: 'k', value: 'bbbbbb' }, { value: null }];
    expect((await http.post(`/v1/topics/${topic}/records`, { records })).status).toBe(200);
    expect((await http.get(`/v1/topics/${topic}/partitions/0/records?offset=0`)).status).toBe(200);
    expect((await http.get(`/v1/topics/${topic}-missing/partitions/0/records?offset=0`)).status).toBe(404);
    const after = await summary();
    const grew = (name: string, dims: Record<string, string>) => sumOf(after, name, dims) - sumOf(before, name, dims);
    expect(grew('RecordsIn', produce)).toBeGreaterThanOrEqual(3);
    expect(grew('BytesIn', produce)).toBeGreaterThanOrEqual(11);
    expect(grew('RecordsOut', fetchDims)).toBeGreaterThanOrEqual(3);
    expect(grew('BytesOut', fetchDims)).toBeGreaterThanOrEqual(11);
    expect(grew('Requests', produce)).toBeGreaterThanOrEqual(1);
    expect(grew('Errors', { ...fetchDims, Code: 'UNKNOWN_TOPIC_OR_PARTITION' })).toBeGreaterThanOrEqual(1);
    const latency = after.metrics.find((m) => m.name === 'Latency' && m.dimensions.Operation === 'produce');
    expect(latency?.unit).toBe('Milliseconds');
    expect(latency?.max).toBeGreaterThan(0);
  });

  it('records the consumer lag that a group offsets request computes', async () => {
    const topic = uniqueTopic('lag');
    expect((await http.post('/v1/topics', { name: topic, partitions: 1 })).status).toBe(201);
    const records = Array.from({ length: 7 }, (_, i) => ({ value: `r${i}` }));
    expect((await http.post(`/v1/topics/${topic}/records`, { records })).status).toBe(200);
    const res = await http.get(`/v1/groups/${uniqueTopic('lag-group')}/offsets?topic=${topic}`);
    expect(res.status).toBe(200);
    expect(res.body.offsets[0].lag).toBe(7);
    const lag = (await summary()).metrics.find((m) => m.name === 'ConsumerLag');
    expect(lag?.dimensions).toEqual({ Role: 'groups' });
    expect(lag?.max).toBeGreaterThanOrEqual(7);
  });

  it('refuses other methods', async () => {
    const res = await http.post('/v1/metrics', {});
    expect(res.status).toBe(405);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
  });
});
