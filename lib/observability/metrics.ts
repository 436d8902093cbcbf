/**
 * The metric catalogue: every metric Streambed emits, its unit and its dimension set. The Lambda
 * adapter, the local stack's summary and the CDK dashboard and alarms (infra/observability.ts) all
 * read this table, so a metric is named, and queried, the same way everywhere.
 *
 * Dimensions stay low-cardinality on purpose: a CloudWatch custom metric is billed per unique
 * (namespace, name, dimension values) combination, so only bounded values are dimensions — the
 * function role (a handful), the operation (one per route) and the error code (API.md's table).
 * Topic, partition, group and principal names are unbounded and never dimensions; they appear in
 * log lines instead (CloudWatch Logs Insights can aggregate on them when needed).
 */
export const METRICS_NAMESPACE = 'Streambed';

export type MetricUnit = 'Count' | 'Milliseconds' | 'Bytes';
export type DimensionName = 'Role' | 'Operation' | 'Code';

/**
 * How observations of one request combine before they are published: counters are summed,
 * gauges keep their maximum, distributions keep every value (CloudWatch computes percentiles).
 */
export type MetricKind = 'counter' | 'gauge' | 'distribution';

export interface MetricSpec {
  readonly unit: MetricUnit;
  readonly kind: MetricKind;
  readonly dimensions: readonly DimensionName[];
  readonly description: string;
}

const PER_OPERATION: readonly DimensionName[] = ['Role', 'Operation'];

export const METRICS = {
  Requests: { unit: 'Count', kind: 'counter', dimensions: PER_OPERATION, description: 'requests served by a function (any status)' },
  Latency: { unit: 'Milliseconds', kind: 'distribution', dimensions: PER_OPERATION, description: 'time from event to response inside the function (p50/p99 on the dashboard)' },
  Errors: { unit: 'Count', kind: 'counter', dimensions: ['Role', 'Operation', 'Code'], description: 'non-2xx responses by API.md error code' },
  RecordsIn: { unit: 'Count', kind: 'counter', dimensions: PER_OPERATION, description: 'records accepted by produce' },
  BytesIn: { unit: 'Bytes', kind: 'counter', dimensions: PER_OPERATION, description: 'key + value + header bytes accepted by produce' },
  RecordsOut: { unit: 'Count', kind: 'counter', dimensions: PER_OPERATION, description: 'records returned by fetch' },
  BytesOut: { unit: 'Bytes', kind: 'counter', dimensions: PER_OPERATION, description: 'key + value + header bytes returned by fetch' },
  CommitConflicts: { unit: 'Count', kind: 'counter', dimensions: PER_OPERATION, description: 'conditional commits that lost a race and were retried (lib/log/append.ts)' },
  ConsumerLag: { unit: 'Count', kind: 'gauge', dimensions: ['Role'], description: 'the largest consumer-group lag (records) seen by a request of the groups function' },
  DispatcherLag: { unit: 'Count', kind: 'gauge', dimensions: ['Role'], description: 'hook for the triggers issue: records between a trigger position and the high watermark' },
} as const satisfies Record<string, MetricSpec>;

export type MetricName = keyof typeof METRICS;

/** Bounded operation value for requests that matched no route (or failed before routing). */
export const UNROUTED_OPERATION = 'unrouted';

/** Keeps exactly the dimensions `name` is defined with, taken from `context`. */
export function dimensionsFor(name: MetricName, context: Readonly<Partial<Record<DimensionName, string>>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of METRICS[name].dimensions) {
    const value = context[d];
    if (value !== undefined && value !== '') out[d] = value;
  }
  return out;
}
