/**
 * The local stack's telemetry: metrics aggregated in memory per (name, dimensions) — count, sum,
 * min, max and p50/p99 from a bounded histogram — served as a summary at `GET /v1/metrics`, and a
 * JSON-lines logger on stderr (level STREAMBED_LOG_LEVEL, default warn).
 *
 * Memory stays bounded because dimensions are (see metrics.ts): a few hundred series at most.
 */
import { Histogram } from './histogram';
import { JsonLogger } from './json-logger';
import { METRICS, type MetricName, type MetricUnit } from './metrics';
import { parseLogLevel, type Dimensions, type Logger, type MetricsSink, type Telemetry } from './telemetry';

export interface MetricSummary {
  readonly name: MetricName;
  readonly unit: MetricUnit;
  readonly dimensions: Dimensions;
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  readonly p50: number;
  readonly p99: number;
}

export interface MetricsSummary {
  /** Epoch ms when aggregation started (process start or the last reset). */
  readonly since: number;
  readonly namespace: string;
  readonly metrics: MetricSummary[];
}

interface Series {
  readonly name: MetricName;
  readonly dimensions: Dimensions;
  readonly histogram: Histogram;
}

export class MemoryMetrics implements MetricsSink {
  private series = new Map<string, Series>();
  private since = Date.now();

  record(name: MetricName, value: number, dimensions: Dimensions): void {
    const key = seriesKey(name, dimensions);
    let s = this.series.get(key);
    if (!s) {
      s = { name, dimensions: { ...dimensions }, histogram: new Histogram() };
      this.series.set(key, s);
    }
    s.histogram.add(value);
  }

  /** Aggregation is continuous; nothing to publish. */
  flush(): void {}

  summary(namespace: string): MetricsSummary {
    const metrics = [...this.series.values()]
      .map((s): MetricSummary => {
        const h = s.histogram;
        return {
          name: s.name,
          unit: METRICS[s.name].unit,
          dimensions: s.dimensions,
          count: h.count,
          sum: round(h.sum),
          min: round(h.min),
          max: round(h.max),
          p50: round(h.quantile(0.5) ?? 0),
          p99: round(h.quantile(0.99) ?? 0),
        };
      })
      .sort((a, b) => seriesKey(a.name, a.dimensions).localeCompare(seriesKey(b.name, b.dimensions)));
    return { since: this.since, namespace, metrics };
  }

  reset(): void {
    this.series = new Map();
    this.since = Date.now();
  }
}

export class MemoryTelemetry implements Telemetry {
  readonly metrics = new MemoryMetrics();
  readonly logger: Logger;

  constructor(logger: Logger = new JsonLogger({ level: parseLogLevel(process.env.STREAMBED_LOG_LEVEL, 'warn'), base: { service: 'streambed' } })) {
    this.logger = logger;
  }
}

function seriesKey(name: string, dimensions: Dimensions): string {
  const dims = Object.keys(dimensions)
    .sort()
    .map((k) => `${k}=${dimensions[k]}`)
    .join(',');
  return `${name}{${dims}}`;
}

function round(n: number): number {
  return Number.isFinite(n) ? Math.round(n * 1000) / 1000 : 0;
}
