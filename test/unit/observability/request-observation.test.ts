import { describe, expect, it } from 'vitest';
import { JsonLogger } from '../../../lib/observability/json-logger';
import { MemoryTelemetry } from '../../../lib/observability/memory-telemetry';
import { METRICS_NAMESPACE } from '../../../lib/observability/metrics';
import { observeRequest, requestMetrics } from '../../../lib/observability/request-observation';
import type { MetricsSink, Telemetry } from '../../../lib/observability/telemetry';

function memory(): { telemetry: MemoryTelemetry; lines: () => Array<Record<string, unknown>> } {
  const out: string[] = [];
  const telemetry = new MemoryTelemetry(new JsonLogger({ level: 'debug', write: (l) => out.push(l) }));
  return { telemetry, lines: () => out.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const series = (t: MemoryTelemetry, name: string) => t.metrics.summary(METRICS_NAMESPACE).metrics.filter((m) => m.name === name);

describe('observeRequest', () => {
  it('records requests, latency and operation metrics with role and operation dimensions', async () => {
    const { telemetry } = memory();
    await observeRequest(
      telemetry,
      { role: 'produce', requestId: 'r1' },
      async (obs) => {
        obs.setOperation('produce');
        await new Promise((r) => setTimeout(r, 5));
        requestMetrics().add('RecordsIn', 3); // reached through the async context, after an await
        return { status: 200 };
      },
      (r) => r,
    );
    const dims = { Role: 'produce', Operation: 'produce' };
    expect(series(telemetry, 'Requests')).toMatchObject([{ dimensions: dims, count: 1, sum: 1 }]);
    expect(series(telemetry, 'RecordsIn')).toMatchObject([{ dimensions: dims, sum: 3 }]);
    const [latency] = series(telemetry, 'Latency');
    expect(latency.dimensions).toEqual(dims);
    expect(latency.max).toBeGreaterThan(0);
    expect(series(telemetry, 'Errors')).toEqual([]);
  });

  it('counts errors by code, and requests that never matched a route as "unrouted"', async () => {
    const { telemetry } = memory();
    await observeRequest(telemetry, { role: 'fetch' }, async () => ({ status: 404, code: 'INVALID_REQUEST' }), (r) => r);
    expect(series(telemetry, 'Errors')).toMatchObject([{ dimensions: { Role: 'fetch', Operation: 'unrouted', Code: 'INVALID_REQUEST' }, sum: 1 }]);
  });

  it('logs 2xx at debug, 4xx at info without the message, 5xx at error with it', async () => {
    const { telemetry, lines } = memory();
    const run = (status: number, code?: string, message?: string) =>
      observeRequest(telemetry, { role: 'admin', requestId: `r${status}`, method: 'POST', path: '/v1/topics' }, async () => ({ status, code, message }), (r) => r);
    await run(201);
    await run(400, 'INVALID_REQUEST', 'the request body is not valid JSON (Unexpected token s in "secret")');
    await run(503, 'UNAVAILABLE', 'DynamoDB GetItem failed; safe to retry');
    const [ok, refused, failed] = lines();
    expect(ok).toMatchObject({ level: 'debug', msg: 'request', status: 201, role: 'admin', requestId: 'r201' });
    expect(refused).toMatchObject({ level: 'info', status: 400, code: 'INVALID_REQUEST' });
    expect(JSON.stringify(refused)).not.toContain('secret');
    expect(failed).toMatchObject({ level: 'error', status: 503, code: 'UNAVAILABLE', error: 'DynamoDB GetItem failed; safe to retry' });
  });

  it('counts nothing outside a request', () => {
    expect(() => requestMetrics().add('RecordsIn', 1)).not.toThrow();
  });

  it('never fails a served request because telemetry failed', async () => {
    const broken: MetricsSink = {
      record: () => {
        throw new Error('sink down');
      },
      flush: () => {},
    };
    const telemetry: Telemetry = { logger: memory().telemetry.logger, metrics: broken };
    const result = await observeRequest(telemetry, { role: 'health' }, async () => ({ status: 200 }), (r) => r);
    expect(result).toEqual({ status: 200 });
  });

  it('aggregates a summary with percentiles', async () => {
    const { telemetry } = memory();
    for (let i = 1; i <= 100; i++) telemetry.metrics.record('Latency', i, { Role: 'fetch', Operation: 'fetch' });
    const [s] = series(telemetry, 'Latency');
    expect(s).toMatchObject({ unit: 'Milliseconds', count: 100, sum: 5050, min: 1, max: 100 });
    expect(s.p50).toBeGreaterThanOrEqual(48);
    expect(s.p50).toBeLessThanOrEqual(52);
    expect(s.p99).toBeGreaterThanOrEqual(95);
  });
});
