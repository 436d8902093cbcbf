/**
 * The observability interface of Streambed: a structured logger and a metrics sink. It knows no
 * Lambda, CloudWatch or node:http types, so lib/ code logs and counts through it wherever it runs.
 *
 * Implementations:
 * - `powertoolsTelemetry` (powertools-telemetry.ts): Powertools for AWS Lambda Logger + Metrics,
 *   JSON logs and CloudWatch embedded-metric-format (EMF) lines on stdout. The Lambda adapter
 *   installs it on first use.
 * - `MemoryTelemetry` (memory-telemetry.ts): aggregates metrics in memory (the local stack's
 *   `GET /v1/metrics`) and writes JSON log lines to stderr.
 *
 * Which one is in force is decided once per process (registry.ts).
 */
import type { MetricName } from './metrics';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured fields of a log line. Passed through `redact()` by every implementation. */
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Dimension name → value. Which names a metric carries is fixed by its entry in METRICS. */
export type Dimensions = Readonly<Record<string, string>>;

export interface MetricsSink {
  /** Adds one observation (a count, milliseconds or bytes, by the metric's unit). */
  record(name: MetricName, value: number, dimensions: Dimensions): void;
  /** Publishes what was recorded since the last flush (EMF: one line per dimension set). */
  flush(): void;
}

export interface Telemetry {
  readonly logger: Logger;
  readonly metrics: MetricsSink;
}

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** `"WARN"` / `"warn"` → `'warn'`; anything else → `fallback`. */
export function parseLogLevel(raw: string | undefined, fallback: LogLevel): LogLevel {
  const level = (raw ?? '').toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : fallback;
}
