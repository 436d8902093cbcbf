/**
 * Defaults of the CDK app, in one place. Constructs take these as the fallback for their optional
 * props, so a stack can override any of them without touching the construct.
 */
import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { FunctionRole } from '../lib/api/routes';

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
};

/** How long CloudWatch keeps each function's logs. */
export const LOG_RETENTION = RetentionDays.ONE_MONTH;

/** Stage-wide throttling of the HTTP API (requests per second, and the token-bucket burst). */
export const API_THROTTLE = { rateLimit: 1000, burstLimit: 2000 } as const;

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
