/**
 * The maintain Lambda: invoked by an EventBridge schedule (infra/maintenance.ts), runs one
 * maintenance pass — retention, compaction, deferred deletions, orphan GC (lib/log/maintenance) —
 * and returns its report. It never throws for a failed partition (each is logged and counted), so
 * EventBridge does not retry a run that the next schedule repeats anyway.
 */
import type { Context } from 'aws-lambda';
import { maintenanceConfig, runMaintenance, type MaintenanceReport } from '../lib/log/maintenance';
import { sharedStorage } from '../lib/storage';

/** Time kept back from the function's timeout for the step in flight when the budget runs out. */
const RESERVE_MS = 30_000;

export async function handler(_event: unknown, context?: Partial<Context>): Promise<MaintenanceReport> {
  const config = maintenanceConfig();
  const remaining = context?.getRemainingTimeInMillis?.();
  const budgetMs = remaining === undefined ? config.budgetMs : Math.max(1_000, Math.min(config.budgetMs, remaining - RESERVE_MS));
  return runMaintenance(sharedStorage(), { ...config, budgetMs });
}
