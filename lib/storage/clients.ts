/**
 * Builds the AWS SDK v3 clients and resource names from the environment. The only place that
 * decides endpoints: on AWS the SDK defaults apply; locally the embedded emulators (or LocalStack,
 * through AWS_ENDPOINT_URL) are named by environment variables.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { BUCKET_ENV, LOCAL_NAMES, TABLES, type TableRole } from './schema';
import { installFaults, parseFaultSpec } from './fault-injection';

export interface StorageConfig {
  readonly bucket: string;
  readonly tables: Readonly<Record<TableRole, string>>;
  /** S3 endpoint override (emulator or LocalStack). */
  readonly s3Endpoint?: string;
  /** DynamoDB endpoint override (emulator or LocalStack). */
  readonly dynamoEndpoint?: string;
  readonly region: string;
  /** Static credentials for emulators; undefined means the default provider chain. */
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface StorageClients {
  readonly config: StorageConfig;
  readonly s3: S3Client;
  readonly dynamo: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
}

/**
 * Reads the storage configuration from the environment:
 * - `STREAMBED_BUCKET` and the `STREAMBED_*_TABLE` variables (defaults: the local names);
 * - `STREAMBED_S3_ENDPOINT` / `STREAMBED_DYNAMODB_ENDPOINT`, else `AWS_ENDPOINT_URL`, else AWS;
 * - `AWS_REGION` (default us-east-1).
 */
export function storageConfigFromEnv(env: NodeJS.ProcessEnv = process.env): StorageConfig {
  const tables = {} as Record<TableRole, string>;
  for (const role of Object.keys(TABLES) as TableRole[]) {
    tables[role] = env[TABLES[role].env] ?? LOCAL_NAMES.tables[role];
  }
  const common = env.AWS_ENDPOINT_URL || undefined;
  const s3Endpoint = env.STREAMBED_S3_ENDPOINT || common;
  const dynamoEndpoint = env.STREAMBED_DYNAMODB_ENDPOINT || common;
  const local = Boolean(s3Endpoint || dynamoEndpoint);
  const credentials =
    local && !env.AWS_ACCESS_KEY_ID
      ? { accessKeyId: env.STREAMBED_LOCAL_ACCESS_KEY ?? 'S3RVER', secretAccessKey: env.STREAMBED_LOCAL_SECRET_KEY ?? 'S3RVER' }
      : undefined;
  return {
    bucket: env[BUCKET_ENV] ?? LOCAL_NAMES.bucket,
    tables,
    s3Endpoint,
    dynamoEndpoint,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    credentials,
  };
}

/** Environment variables that hand a StorageConfig to another process or function. */
export function storageEnv(config: StorageConfig): Record<string, string> {
  const env: Record<string, string> = { [BUCKET_ENV]: config.bucket, AWS_REGION: config.region };
  for (const role of Object.keys(TABLES) as TableRole[]) env[TABLES[role].env] = config.tables[role];
  if (config.s3Endpoint) env.STREAMBED_S3_ENDPOINT = config.s3Endpoint;
  if (config.dynamoEndpoint) env.STREAMBED_DYNAMODB_ENDPOINT = config.dynamoEndpoint;
  return env;
}

export function createClients(config: StorageConfig = storageConfigFromEnv()): StorageClients {
  const s3 = new S3Client({
    region: config.region,
    endpoint: config.s3Endpoint,
    forcePathStyle: Boolean(config.s3Endpoint),
    credentials: config.credentials,
    // s3rver stores aws-chunked framing as object bytes when the SDK adds default checksums
    // (../shared/EMULATORS.md). S3 itself still checks Content-MD5-free PUTs by TLS + SigV4.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
  const dynamo = new DynamoDBClient({
    region: config.region,
    endpoint: config.dynamoEndpoint,
    credentials: config.credentials,
    maxAttempts: 3,
  });
  const doc = DynamoDBDocumentClient.from(dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  // Reliability tests only (docs/reliability.md): unset in production, and then nothing is added.
  if (process.env.STREAMBED_FAULTS) {
    const rules = parseFaultSpec(process.env.STREAMBED_FAULTS);
    installFaults(s3, 's3', rules);
    installFaults(dynamo, 'dynamodb', rules);
  }
  return { config, s3, dynamo, doc };
}

let shared: StorageClients | undefined;

/** One set of clients per process (a Lambda container reuses it across invocations). */
export function sharedClients(): StorageClients {
  shared ??= createClients();
  return shared;
}
