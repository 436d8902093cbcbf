/**
 * The telemetry in force in this process. The local stack installs a MemoryTelemetry before any
 * handler loads; a Lambda function installs Powertools on its first invocation (lib/api/
 * lambda-adapter.ts). Code that runs before or outside either (unit tests, scripts) gets a JSON
 * logger on stderr (level STREAMBED_LOG_LEVEL, default warn) and a metrics sink that drops
 * everything.
 */
import { JsonLogger } from './json-logger';
import { parseLogLevel, type MetricsSink, type Telemetry } from './telemetry';

let installed: Telemetry | undefined;
let fallback: Telemetry | undefined;

export function installTelemetry(telemetry: Telemetry): void {
  installed = telemetry;
}

/** The installed telemetry, if any (the Lambda adapter installs Powertools when there is none). */
export function installedTelemetry(): Telemetry | undefined {
  return installed;
}

/** The telemetry to log and count with: the installed one, else the fallback. */
export function telemetry(): Telemetry {
  if (installed) return installed;
  fallback ??= {
    logger: new JsonLogger({ level: parseLogLevel(process.env.STREAMBED_LOG_LEVEL, 'warn'), base: { service: 'streambed' } }),
    metrics: NO_METRICS,
  };
  return fallback;
}

const NO_METRICS: MetricsSink = {
  record: () => {},
  flush: () => {},
};
