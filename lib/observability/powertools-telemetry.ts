/**
 * Telemetry on Lambda: Powertools for AWS Lambda (TypeScript). Logs are Powertools' structured
 * JSON lines (level from POWERTOOLS_LOG_LEVEL / AWS_LAMBDA_LOG_LEVEL, default INFO); metrics are
 * CloudWatch embedded-metric-format (EMF) lines on stdout, which CloudWatch Logs turns into
 * metrics of namespace METRICS_NAMESPACE with no PutMetricData call and no extra latency.
 *
 * One flush per invocation: observations are grouped by dimension set and combined by the
 * metric's kind (counters summed, gauges maxed, distributions kept value by value), then written
 * as one EMF line per dimension set.
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS, METRICS_NAMESPACE, type MetricName } from './metrics';
import { redact, scrub } from './redact';
import type { Dimensions, LogFields, Logger, MetricsSink, Telemetry } from './telemetry';

export const SERVICE_NAME = 'streambed';

/** EMF holds at most 100 values per metric per line; more latency samples than that are dropped. */
const MAX_VALUES = 100;

interface Group {
  readonly dimensions: Dimensions;
  readonly values: Map<MetricName, number[]>;
}

export class EmfMetrics implements MetricsSink {
  private readonly emf: Metrics;
  private readonly pending = new Map<string, Group>();

  constructor(emf: Metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME })) {
    this.emf = emf;
    // Powertools adds a `service` dimension to every metric by default: dropped, so the dimension
    // sets are exactly those of METRICS (what the dashboard and alarms query).
    this.emf.clearDefaultDimensions();
  }

  record(name: MetricName, value: number, dimensions: Dimensions): void {
    if (!Number.isFinite(value)) return;
    const key = JSON.stringify(Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b)));
    let group = this.pending.get(key);
    if (!group) {
      group = { dimensions: { ...dimensions }, values: new Map() };
      this.pending.set(key, group);
    }
    const values = group.values.get(name);
    if (values) values.push(value);
    else group.values.set(name, [value]);
  }

  flush(): void {
    for (const group of this.pending.values()) {
      for (const [name, value] of Object.entries(group.dimensions)) this.emf.addDimension(name, value);
      for (const [name, values] of group.values) {
        const spec = METRICS[name];
        if (spec.kind === 'distribution') {
          for (const v of values.slice(0, MAX_VALUES)) this.emf.addMetric(name, spec.unit, v);
        } else {
          this.emf.addMetric(name, spec.unit, spec.kind === 'gauge' ? Math.max(...values) : values.reduce((a, b) => a + b, 0));
        }
      }
      this.emf.publishStoredMetrics();
    }
    this.pending.clear();
  }
}

/** Powertools' Logger behind the Logger interface; every field set goes through `redact()`. */
export class PowertoolsLogAdapter implements Logger {
  constructor(private readonly logger: PowertoolsLogger) {}

  debug(message: string, fields?: LogFields): void {
    this.logger.debug(scrub(message), redact(fields));
  }
  info(message: string, fields?: LogFields): void {
    this.logger.info(scrub(message), redact(fields));
  }
  warn(message: string, fields?: LogFields): void {
    this.logger.warn(scrub(message), redact(fields));
  }
  error(message: string, fields?: LogFields): void {
    this.logger.error(scrub(message), redact(fields));
  }
}

/** The telemetry of one Lambda function (`role` goes on every log line). */
export function powertoolsTelemetry(role: string): Telemetry {
  const logger = new PowertoolsLogger({ serviceName: SERVICE_NAME, persistentKeys: { role } });
  return { logger: new PowertoolsLogAdapter(logger), metrics: new EmfMetrics() };
}
