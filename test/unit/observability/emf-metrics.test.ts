/**
 * The Powertools implementation writes CloudWatch EMF: what CloudWatch turns into metrics must
 * carry exactly the catalogue's dimension sets (the dashboard and alarms query those), no
 * `service` dimension, and values combined by kind.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { METRICS_NAMESPACE } from '../../../lib/observability/metrics';
import { EmfMetrics } from '../../../lib/observability/powertools-telemetry';

interface Emf {
  _aws: { Timestamp: number; CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
  [key: string]: unknown;
}

function captureStdout(): { lines: () => Emf[] } {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  return {
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Emf),
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('EmfMetrics', () => {
  it('writes one EMF line per dimension set, with exactly that set', () => {
    const out = captureStdout();
    const m = new EmfMetrics();
    m.record('Requests', 1, { Role: 'produce', Operation: 'produce' });
    m.record('Latency', 12.5, { Role: 'produce', Operation: 'produce' });
    m.record('Errors', 1, { Role: 'produce', Operation: 'produce', Code: 'INVALID_REQUEST' });
    m.flush();
    const lines = out.lines();
    expect(lines).toHaveLength(2);
    const perOperation = lines.find((l) => l.Requests !== undefined)!;
    expect(perOperation._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS_NAMESPACE,
        Dimensions: [['Role', 'Operation']],
        Metrics: [
          { Name: 'Requests', Unit: 'Count' },
          { Name: 'Latency', Unit: 'Milliseconds' },
        ],
      },
    ]);
    expect(perOperation).toMatchObject({ Role: 'produce', Operation: 'produce', Requests: 1, Latency: 12.5 });
    expect(perOperation).not.toHaveProperty('service');
    const errors = lines.find((l) => l.Errors !== undefined)!;
    expect(errors._aws.CloudWatchMetrics[0].Dimensions).toEqual([['Role', 'Operation', 'Code']]);
    expect(errors).toMatchObject({ Code: 'INVALID_REQUEST', Errors: 1 });
  });

  it('sums counters, keeps the maximum of gauges and every value of distributions', () => {
    const out = captureStdout();
    const m = new EmfMetrics();
    const dims = { Role: 'fetch', Operation: 'fetch' };
    m.record('RecordsOut', 10, dims);
    m.record('RecordsOut', 5, dims);
    m.record('Latency', 3, dims);
    m.record('Latency', 9, dims);
    m.record('ConsumerLag', 40, { Role: 'groups' });
    m.record('ConsumerLag', 7, { Role: 'groups' });
    m.flush();
    const lines = out.lines();
    expect(lines.find((l) => l.RecordsOut !== undefined)).toMatchObject({ RecordsOut: 15, Latency: [3, 9] });
    const lag = lines.find((l) => l.ConsumerLag !== undefined)!;
    expect(lag.ConsumerLag).toBe(40);
    expect(lag._aws.CloudWatchMetrics[0].Dimensions).toEqual([['Role']]);
  });

  it('publishes nothing when nothing was recorded, and nothing twice', () => {
    const out = captureStdout();
    const m = new EmfMetrics();
    m.flush();
    m.record('Requests', 1, { Role: 'health', Operation: 'health' });
    m.flush();
    m.flush();
    expect(out.lines()).toHaveLength(1);
  });
});
