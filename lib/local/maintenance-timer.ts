/**
 * The local stand-in for the deployed maintenance schedule (infra/maintenance.ts): one
 * maintenance run (lib/log/maintenance) every STREAMBED_MAINTENANCE_INTERVAL_MS (default 30 s, so a
 * retention change is applied within 60 s as API.md promises; 0 turns it off). Runs never overlap:
 * the next is scheduled when the previous one has finished.
 */
import { MAINTENANCE_ENV, jsonLineLog, maintenanceConfig, runMaintenance, type MaintenanceConfig, type MaintenanceLog } from '../log/maintenance';
import type { Storage } from '../storage';

export const DEFAULT_MAINTENANCE_INTERVAL_MS = 30_000;

/** Local runs: a shorter budget and lease than on Lambda, so a killed process's lease soon expires. */
const LOCAL_BUDGET_MS = 50_000;
const LOCAL_LEASE_MARGIN_MS = 20_000;

export interface MaintenanceTimer {
  /** Stops scheduling runs and waits for the one in progress, if any. */
  stop(): Promise<void>;
}

/** STREAMBED_MAINTENANCE_INTERVAL_MS, or the default; throws on a value that is not a non-negative integer. */
export function maintenanceIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.STREAMBED_MAINTENANCE_INTERVAL_MS;
  if (raw === undefined || raw === '') return DEFAULT_MAINTENANCE_INTERVAL_MS;
  const ms = Number(raw);
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new Error(`STREAMBED_MAINTENANCE_INTERVAL_MS=${raw} is not a number of milliseconds (0 turns maintenance off)`);
  }
  return ms;
}

/** The local log: every action and error, but a run's summary only when it changed something. */
const quietLog: MaintenanceLog = (event) => {
  if (event.event === 'run' && event.changed === false) return;
  jsonLineLog(event);
};

export function startMaintenanceTimer(storage: Storage, intervalMs: number, overrides: Partial<MaintenanceConfig> = {}): MaintenanceTimer {
  const env = process.env;
  const config = maintenanceConfig({
    // Local defaults; the environment's settings still win.
    ...(env[MAINTENANCE_ENV.budgetMs] ? {} : { budgetMs: LOCAL_BUDGET_MS }),
    ...(env[MAINTENANCE_ENV.leaseMarginMs] ? {} : { leaseMarginMs: LOCAL_LEASE_MARGIN_MS }),
    log: quietLog,
    ...overrides,
  });
  let stopped = intervalMs <= 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(tick, intervalMs);
    timer.unref();
  };
  const tick = (): void => {
    running = runMaintenance(storage, config)
      .then(
        () => undefined,
        (err: unknown) => config.log({ level: 'error', event: 'error', phase: 'run', error: err instanceof Error ? err.message : String(err) }),
      )
      .finally(() => {
        running = undefined;
        schedule();
      });
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
