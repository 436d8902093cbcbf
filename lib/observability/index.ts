/** Observability: structured logs and metrics behind a small interface (see telemetry.ts). */
export type { Logger, LogFields, LogLevel, MetricsSink, Telemetry, Dimensions } from './telemetry';
export { METRICS, METRICS_NAMESPACE, UNROUTED_OPERATION, dimensionsFor, type MetricName, type MetricSpec, type MetricUnit } from './metrics';
export { installTelemetry, installedTelemetry, telemetry } from './registry';
export { observeRequest, requestMetrics, type RequestMetrics, type RequestOutcome } from './request-observation';
export { redact, scrub, REDACTED } from './redact';
export { recordLag } from './lag';
