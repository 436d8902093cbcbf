/**
 * Creates the storage resources of the local stack (the segment bucket and the tables of
 * lib/storage/schema.ts) when they are missing, against the embedded emulators or LocalStack.
 * Idempotent and safe when two processes bootstrap at once: "already exists" counts as success,
 * and it returns only once every table is ACTIVE with the key schema the code expects.
 */
import { CreateBucketCommand, HeadBucketCommand, BucketAlreadyExists, BucketAlreadyOwnedByYou } from '@aws-sdk/client-s3';
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  type AttributeDefinition,
  type KeySchemaElement,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { StorageClients } from '../storage/clients';
import { TABLES, type TableRole, type TableSpec } from '../storage/schema';

export interface EnsureOptions {
  /** Give up waiting for a table to become ACTIVE after this long (default 60 s). */
  readonly timeoutMs?: number;
}

export async function ensureResources(clients: StorageClients, options: EnsureOptions = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const roles = Object.keys(TABLES) as TableRole[];
  await Promise.all([ensureBucket(clients), ...roles.map((role) => ensureTable(clients, TABLES[role], clients.config.tables[role], deadline))]);
}

async function ensureBucket({ s3, config }: StorageClients): Promise<void> {
  const Bucket = config.bucket;
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket,
        // us-east-1 refuses an explicit LocationConstraint; every other region needs one.
        CreateBucketConfiguration: config.region === 'us-east-1' ? undefined : { LocationConstraint: config.region as never },
      }),
    );
  } catch (err) {
    // Against the local endpoints "exists" can only mean an earlier (or concurrent) bootstrap made it.
    if (!isError(err, BucketAlreadyOwnedByYou) && !isError(err, BucketAlreadyExists)) {
      throw new Error(`cannot create bucket ${Bucket} at ${config.s3Endpoint ?? 'AWS'}: ${errorText(err)}`, { cause: err });
    }
  }
  await s3.send(new HeadBucketCommand({ Bucket }));
}

async function ensureTable(clients: StorageClients, spec: TableSpec, TableName: string, deadline: number): Promise<void> {
  let table = await describeTable(clients, TableName);
  if (!table) {
    try {
      await clients.dynamo.send(
        new CreateTableCommand({ TableName, BillingMode: 'PAY_PER_REQUEST', KeySchema: keySchema(spec), AttributeDefinitions: attributes(spec) }),
      );
    } catch (err) {
      if (!isError(err, ResourceInUseException)) {
        throw new Error(`cannot create table ${TableName} at ${clients.config.dynamoEndpoint ?? 'AWS'}: ${errorText(err)}`, { cause: err });
      }
    }
  }
  for (let delay = 25; ; delay = Math.min(delay * 2, 1_000)) {
    table = await describeTable(clients, TableName);
    if (table?.TableStatus === 'ACTIVE') break;
    if (Date.now() + delay > deadline) throw new Error(`table ${TableName} is not ACTIVE (status ${table?.TableStatus ?? 'missing'})`);
    await new Promise((r) => setTimeout(r, delay));
  }
  checkKeySchema(spec, TableName, table);
}

async function describeTable({ dynamo }: StorageClients, TableName: string): Promise<TableDescription | undefined> {
  try {
    return (await dynamo.send(new DescribeTableCommand({ TableName }))).Table;
  } catch (err) {
    if (isError(err, ResourceNotFoundException)) return undefined;
    throw err;
  }
}

function keySchema(spec: TableSpec): KeySchemaElement[] {
  const keys: KeySchemaElement[] = [{ AttributeName: spec.partitionKey.name, KeyType: 'HASH' }];
  if (spec.sortKey) keys.push({ AttributeName: spec.sortKey.name, KeyType: 'RANGE' });
  return keys;
}

function attributes(spec: TableSpec): AttributeDefinition[] {
  const attrs: AttributeDefinition[] = [{ AttributeName: spec.partitionKey.name, AttributeType: spec.partitionKey.type }];
  if (spec.sortKey) attrs.push({ AttributeName: spec.sortKey.name, AttributeType: spec.sortKey.type });
  return attrs;
}

/** A table left by an older layout would fail at the first query; say so at startup instead. */
function checkKeySchema(spec: TableSpec, name: string, table: TableDescription): void {
  const want = keySchema(spec).map((k) => `${k.AttributeName}:${k.KeyType}`).join(',');
  const have = (table.KeySchema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(',');
  if (want !== have) {
    throw new Error(`table ${name} has key schema (${have}) but Streambed expects (${want}); delete it or use a fresh data directory`);
  }
}

/** instanceof first; the name as a fallback for errors deserialized by another copy of the SDK. */
function isError(err: unknown, type: abstract new (...args: never[]) => Error): boolean {
  return err instanceof type || (err as { name?: string } | undefined)?.name === type.name;
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
