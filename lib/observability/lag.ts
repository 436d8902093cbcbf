/**
 * Lag gauges, for the functions that know a position and a high watermark:
 * - `ConsumerLag`: the groups function records the largest lag it computed in a request
 *   (e.g. `GET /v1/groups/{group}/offsets`), so one alarm covers every group without a group
 *   dimension (unbounded names would make one metric per group).
 * - `DispatcherLag`: the hook for the triggers issue — the dispatcher records, per run, the
 *   largest distance between a trigger's position and its partition's high watermark.
 *
 * The value goes to the process's telemetry: inside a request it is published with the request's
 * metrics; outside one (a scheduled dispatcher run) the caller flushes (`telemetry().metrics.flush()`).
 *
 * @example
 * recordLag('ConsumerLag', Math.max(...rows.map((r) => r.lag)), 'groups');
 */
import { dimensionsFor } from './metrics';
import { telemetry } from './registry';

export function recordLag(name: 'ConsumerLag' | 'DispatcherLag', lag: number, role: string): void {
  if (!Number.isFinite(lag) || lag < 0) return;
  telemetry().metrics.record(name, lag, dimensionsFor(name, { Role: role }));
}
