/**
 * Settings of the maintenance job (retention, compaction, deferred deletions, orphan GC), their
 * defaults, and how they are read from the environment. docs/maintenance.md explains each one and
 * the lower bounds the safety arguments need.
 */

export type MaintenanceEvent = Readonly<Record<string, unknown>> & { readonly event: string; readonly level?: 'info' | 'warn' | 'error' };

/** Where the job reports: one structured event per action, error and run. */
export type MaintenanceLog = (event: MaintenanceEvent) => void;

export interface MaintenanceConfig {
  /**
   * An object no index entry, no `lastCommit` and no pending deletion refers to is deleted once
   * it is older than this. Must exceed the longest an append can take from its S3 PUT to its
   * commit landing (the function's lifetime: 30 s on Lambda); see docs/maintenance.md.
   */
  readonly orphanGraceMs: number;
  /**
   * An object whose last index entry was removed (by retention or compaction) is deleted this much
   * later, so reads already holding the old entry finish. Must exceed the longest a read holds an
   * index entry (the fetch function's lifetime, 30 s; and any presigned URL's expiry).
   */
  readonly deletionDelayMs: number;
  /** Compaction merges runs of small segments into objects of up to this size. */
  readonly compactionTargetBytes: number;
  /** Only segments smaller than this are merged. */
  readonly compactionSmallBytes: number;
  /**
   * Only segments whose successor was committed at least this long ago are merged: a writer or
   * reader still holding an older leader record could otherwise roll a deleted entry forward again.
   */
  readonly compactionMinAgeMs: number;
  /** A byte position is kept in a merged entry's `batches` at most every this many bytes (ranged reads). */
  readonly indexIntervalBytes: number;
  /** A run starts no new work after this long, so it ends well inside its lease and its function's timeout. */
  readonly budgetMs: number;
  /** The lease outlives the budget by this much. */
  readonly leaseMarginMs: number;
  /** Partitions worked on at once. */
  readonly concurrency: number;
  /** Time for ages and due times (tests move it). Leases and the budget use the real clock. */
  readonly clock: () => number;
  readonly log: MaintenanceLog;
}

export const MAINTENANCE_DEFAULTS = {
  orphanGraceMs: 60 * 60_000,
  deletionDelayMs: 5 * 60_000,
  compactionTargetBytes: 8 * 1024 * 1024,
  compactionSmallBytes: 1024 * 1024,
  compactionMinAgeMs: 10 * 60_000,
  indexIntervalBytes: 64 * 1024,
  budgetMs: 4 * 60_000,
  leaseMarginMs: 60_000,
  concurrency: 4,
} as const;

/** Environment variable of each numeric setting. */
export const MAINTENANCE_ENV = {
  orphanGraceMs: 'STREAMBED_MAINTENANCE_ORPHAN_GRACE_MS',
  deletionDelayMs: 'STREAMBED_MAINTENANCE_DELETION_DELAY_MS',
  compactionTargetBytes: 'STREAMBED_MAINTENANCE_COMPACTION_TARGET_BYTES',
  compactionSmallBytes: 'STREAMBED_MAINTENANCE_COMPACTION_SMALL_BYTES',
  compactionMinAgeMs: 'STREAMBED_MAINTENANCE_COMPACTION_MIN_AGE_MS',
  indexIntervalBytes: 'STREAMBED_MAINTENANCE_INDEX_INTERVAL_BYTES',
  budgetMs: 'STREAMBED_MAINTENANCE_BUDGET_MS',
  leaseMarginMs: 'STREAMBED_MAINTENANCE_LEASE_MARGIN_MS',
  concurrency: 'STREAMBED_MAINTENANCE_CONCURRENCY',
} as const satisfies Record<keyof typeof MAINTENANCE_DEFAULTS, string>;

/** One JSON line per event on stderr (CloudWatch Logs on Lambda; beside the request log locally). */
export const jsonLineLog: MaintenanceLog = (event) => {
  process.stderr.write(`${JSON.stringify({ level: 'info', msg: 'maintenance', time: new Date().toISOString(), ...event })}\n`);
};

/** The defaults, overridden by the environment, then by `overrides`. Bad values throw. */
export function maintenanceConfig(
  overrides: Partial<MaintenanceConfig> = {},
  env: NodeJS.ProcessEnv = process.env,
): MaintenanceConfig {
  const numbers = { ...MAINTENANCE_DEFAULTS } as Record<keyof typeof MAINTENANCE_DEFAULTS, number>;
  for (const name of Object.keys(MAINTENANCE_ENV) as Array<keyof typeof MAINTENANCE_ENV>) {
    const raw = env[MAINTENANCE_ENV[name]];
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new Error(`${MAINTENANCE_ENV[name]}=${raw} is not a non-negative integer`);
    }
    numbers[name] = n;
  }
  const config: MaintenanceConfig = { ...numbers, clock: Date.now, log: jsonLineLog, ...overrides };
  if (config.concurrency < 1) throw new Error(`maintenance concurrency must be at least 1, got ${config.concurrency}`);
  if (config.indexIntervalBytes < 1) throw new Error(`maintenance indexIntervalBytes must be at least 1, got ${config.indexIntervalBytes}`);
  return config;
}
