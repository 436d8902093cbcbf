/**
 * Defaults of the CDK app, in one place. Constructs take these as the fallback for their optional
 * props, so a stack can override any of them without touching the construct.
 */
import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { FunctionRole } from '../lib/api/routes';
import type { BackgroundRole } from './roles';

/** Memory of every function. 1024 MB buys a full vCPU share for CRC32C and (de)compression. */
export const FUNCTION_MEMORY_MB = 1024;

/**
 * Timeout per function role. API Gateway HTTP APIs give up on an integration after 30 s, so no
 * role goes beyond that; fetch long-polls for at most 20 s and needs the rest to answer.
 */
export const FUNCTION_TIMEOUTS: Readonly<Record<FunctionRole, Duration>> = {
  produce: Duration.seconds(30),
  fetch: Duration.seconds(30),
  admin: Duration.seconds(30),
  health: Duration.seconds(5),
  // A group write retries lost races for up to 10 s (lib/groups GROUP_LIMITS.updateBudgetMs), and
  // a commit may do that and then fence its offsets: 30 s keeps both inside one invocation.
  groups: Duration.seconds(30),
  // Upstash's consume waits up to 20 s for messages (like fetch), after its group calls.
  upstash: Duration.seconds(30),
};

/** Timeout per background role (infra/roles.ts): a maintenance run stops starting work 30 s before it. */
export const BACKGROUND_TIMEOUTS: Readonly<Record<BackgroundRole, Duration>> = {
  maintain: Duration.minutes(5),
  // One Secrets Manager read (cached for 5 minutes) and a digest comparison.
  'upstash-authorizer': Duration.seconds(10),
  // A trigger dispatcher delivers until caught up or until 60 s before this (functions/dispatch.ts).
  dispatch: Duration.minutes(5),
};

/** How long API Gateway reuses the Upstash authorizer's decision for the same Authorization header. */
export const UPSTASH_AUTH_CACHE_TTL = Duration.minutes(5);

/**
 * How often the maintenance job runs (retention, compaction, deferred deletions, orphan GC). A run
 * that overlaps the next finds the lease taken and does nothing (lib/log/maintenance/run.ts).
 */
export const MAINTENANCE_RATE = Duration.minutes(5);

/** How often each trigger's dispatcher sweeps all its partitions (the safety net under the stream wake-up). */
export const TRIGGER_SWEEP_RATE = Duration.minutes(1);

/** How long CloudWatch keeps each function's logs. */
export const LOG_RETENTION = RetentionDays.ONE_MONTH;

/** Stage-wide throttling of the HTTP API (requests per second, and the token-bucket burst). */
export const API_THROTTLE = { rateLimit: 1000, burstLimit: 2000 } as const;

/**
 * The API access log line (JSON). `status` is a number, so metric filters compare it numerically
 * (infra/observability.ts counts 429s from it). No headers, query strings or bodies: nothing a
 * client sends as a secret or as data can reach this log.
 */
export const API_ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  time: '$context.requestTimeEpoch',
  ip: '$context.identity.sourceIp',
  principal: '$context.identity.userArn',
  method: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  error: '$context.error.message',
  errorType: '$context.error.responseType',
  integrationError: '$context.integrationErrorMessage',
} as const;

/** Alarm thresholds (infra/observability.ts); each can be overridden through the construct's props. */
export const ALARM_THRESHOLDS = {
  /** Invocation errors (unhandled exceptions, timeouts) of any one function in 5 minutes. */
  functionErrorsPer5Min: 1,
  /** API 5xx responses in 5 minutes (503 UNAVAILABLE is retriable; a few are normal under storage hiccups). */
  api5xxPer5Min: 10,
  /** Requests refused by API Gateway throttling (429) in 5 minutes. */
  apiThrottlesPer5Min: 10,
  /** DynamoDB read + write throttle events of any one table in 5 minutes. */
  dynamoThrottlesPer5Min: 1,
  /** Consumer lag (records) above which, for 3 periods of 5 minutes in a row, the lag alarm fires. */
  consumerLagRecords: 100_000,
} as const;

/** Incomplete multipart uploads are aborted (and their parts freed) after this many days. */
export const ABORT_MULTIPART_AFTER_DAYS = 1;

/**
 * DynamoDB deletion protection. On by default: a table replacement (say, a key schema change)
 * then fails instead of dropping the log. Turn off with `-c streambed:deletionProtection=false`.
 */
export const TABLE_DELETION_PROTECTION = true;

/** Context key that overrides TABLE_DELETION_PROTECTION. */
export const DELETION_PROTECTION_CONTEXT = 'streambed:deletionProtection';

/**
 * WASM files that bundled packages read from disk at run time (relative to the project root).
 * esbuild cannot see a file read through `fs`, so each is copied next to the bundle when the
 * bundle names it; test/infra/bundling.test.ts fails if a bundle names a `.wasm` file it lacks.
 */
export const BUNDLED_WASM_FILES: readonly string[] = [
  'node_modules/lz4-wasm-nodejs/lz4_wasm_nodejs_bg.wasm',
  'node_modules/@bokuweb/zstd-wasm/dist/common/zstd.wasm',
];
