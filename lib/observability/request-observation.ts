/**
 * One request, observed: its metrics (Requests, Latency, Errors by code, plus whatever the
 * operation adds through `requestMetrics()`) and one structured log line when it ends.
 *
 * The observation travels with the request's async context (AsyncLocalStorage), so an operation
 * deep in lib/api can count records without a parameter threaded through every call, and without
 * knowing which telemetry is in force. Outside a request, `requestMetrics()` counts nothing.
 *
 * Log levels: 5xx → error (with the message), 4xx → info (code only: a client error message can
 * quote the request, e.g. a JSON parse error, and request content stays out of logs), 2xx → debug.
 * Every request's metrics are recorded regardless of the log level.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { UNROUTED_OPERATION, dimensionsFor, type MetricName } from './metrics';
import type { LogFields, Telemetry } from './telemetry';

export interface RequestStart {
  readonly role: string;
  readonly requestId?: string;
  readonly method?: string;
  readonly path?: string;
}

export interface RequestOutcome {
  readonly status: number;
  /** The API.md error code of a non-2xx response. */
  readonly code?: string;
  /** The error message (logged for 5xx only). */
  readonly message?: string;
}

export interface RequestMetrics {
  /** Adds `value` to metric `name` with this request's dimensions. */
  add(name: MetricName, value: number): void;
}

export class RequestObservation implements RequestMetrics {
  private operation = UNROUTED_OPERATION;
  private principal: string | undefined;
  private readonly startedAt = performance.now();

  constructor(
    private readonly telemetry: Telemetry,
    private readonly start: RequestStart,
  ) {}

  /** Once the route is known: the operation becomes the `Operation` dimension. */
  setOperation(operation: string): void {
    this.operation = operation;
  }

  /** Who made the request (an IAM ARN or a local user name), for the log line only. */
  setPrincipal(principal: string | undefined): void {
    this.principal = principal;
  }

  add(name: MetricName, value: number): void {
    this.telemetry.metrics.record(name, value, dimensionsFor(name, { Role: this.start.role, Operation: this.operation }));
  }

  /** Records the request's own metrics, writes its log line and publishes the metrics. */
  finish(outcome: RequestOutcome): void {
    const ms = Math.round((performance.now() - this.startedAt) * 1000) / 1000;
    const context = { Role: this.start.role, Operation: this.operation };
    const { metrics, logger } = this.telemetry;
    metrics.record('Requests', 1, dimensionsFor('Requests', context));
    metrics.record('Latency', ms, dimensionsFor('Latency', context));
    if (outcome.status >= 400) {
      metrics.record('Errors', 1, dimensionsFor('Errors', { ...context, Code: outcome.code ?? `HTTP_${outcome.status}` }));
    }
    const fields: LogFields = {
      requestId: this.start.requestId,
      role: this.start.role,
      operation: this.operation,
      method: this.start.method,
      path: this.start.path?.slice(0, 256),
      status: outcome.status,
      code: outcome.code,
      principal: this.principal,
      ms,
    };
    if (outcome.status >= 500) logger.error('request failed', { ...fields, error: outcome.message });
    else if (outcome.status >= 400) logger.info('request refused', fields);
    else logger.debug('request', fields);
    metrics.flush();
  }
}

const current = new AsyncLocalStorage<RequestObservation>();

/**
 * Runs `handle` as one observed request: `requestMetrics()` inside it (and in work it starts)
 * reaches this observation; `outcome` reads the result once `handle` settles.
 */
export async function observeRequest<T>(
  telemetry: Telemetry,
  start: RequestStart,
  handle: (observation: RequestObservation) => Promise<T>,
  outcome: (result: T) => RequestOutcome,
): Promise<T> {
  const observation = new RequestObservation(telemetry, start);
  const result = await current.run(observation, () => handle(observation));
  try {
    observation.finish(outcome(result));
  } catch (err) {
    // Observability must never fail a request that was served.
    process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'telemetry failed', error: String(err).slice(0, 500) })}\n`);
  }
  return result;
}

const NOTHING: RequestMetrics = { add: () => {} };

/** The metrics of the request being served, or a sink that counts nothing outside a request. */
export function requestMetrics(): RequestMetrics {
  return current.getStore() ?? NOTHING;
}
