/**
 * Who may touch what: the least-privilege access of each function role, as data. The same table
 * decides a function's IAM grants and the resource names in its environment, so a function is
 * never told about a resource it may not use (and never lacks one it may).
 */
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { BUCKET_ENV, TABLES, type TableRole } from '../lib/storage/schema';
import type { StreambedRole } from './roles';
import type { StreambedStorage } from './storage';

/** What a role does with segment objects (all of them under `segments/*`). */
export type SegmentAccess = 'put' | 'read' | 'delete';
export type TableAccess = 'read' | 'readWrite';

export interface RoleAccess {
  readonly segments: readonly SegmentAccess[];
  readonly tables: Readonly<Partial<Record<TableRole, TableAccess>>>;
}

/** Key pattern of every object a function may touch (lib/storage/schema.ts `segmentPrefix`). */
export const SEGMENT_OBJECTS = 'segments/*';

export const ROLE_ACCESS: Readonly<Record<StreambedRole, RoleAccess>> = {
  // Writes a segment, advances the leader record, writes the index entry.
  produce: { segments: ['put'], tables: { topics: 'read', partitions: 'readWrite', index: 'readWrite' } },
  // Reads segments; rolls a missing index entry forward from the leader record (so writes the index).
  fetch: { segments: ['read'], tables: { topics: 'read', partitions: 'read', index: 'readWrite' } },
  // Creates and deletes topics; deleting a topic removes its segments.
  admin: { segments: ['read', 'delete'], tables: { topics: 'readWrite', partitions: 'readWrite', index: 'readWrite' } },
  health: { segments: [], tables: {} },
  // Membership, assignment and committed offsets; reads topics (partition counts, topic ids) and
  // leader records (high watermarks for lag). Never touches segments.
  groups: { segments: [], tables: { groups: 'readWrite', topics: 'read', partitions: 'read' } },
  // Upstash Kafka REST compatibility (docs/upstash.md): produces and fetches like produce and fetch,
  // and keeps consumer instances as group members (their items live in the groups table).
  upstash: { segments: ['put', 'read'], tables: { topics: 'read', partitions: 'readWrite', index: 'readWrite', groups: 'readWrite' } },
  // The Upstash routes' authorizer reads its secret only (granted by infra/upstash-auth.ts).
  'upstash-authorizer': { segments: [], tables: {} },
  // Retention, compaction and GC (infra/maintenance.ts): lists, reads, writes (merged segments) and
  // deletes segments; moves log start offsets; rewrites index entries and keeps its lease and
  // pending deletions in the index table. Reads topics, never changes them.
  maintain: { segments: ['read', 'put', 'delete'], tables: { topics: 'read', partitions: 'readWrite', index: 'readWrite' } },
  // A trigger dispatcher (infra/topic-trigger.ts): reads the topic like fetch (rolling a missing
  // index entry forward), keeps its lease and position in the groups table, and appends the
  // records it gave up on to the failure topic like produce.
  dispatch: { segments: ['read', 'put'], tables: { topics: 'read', partitions: 'readWrite', index: 'readWrite', groups: 'readWrite' } },
};

/** Grants `grantee` exactly the access of `role` on `storage`. */
export function grantRoleAccess(storage: StreambedStorage, role: StreambedRole, grantee: IGrantable): void {
  const access = ROLE_ACCESS[role];
  for (const kind of access.segments) {
    // grantRead adds s3:List* on the bucket: without it a missing key answers 403, not 404, and a
    // reader could not tell a segment removed by retention from a permissions fault.
    if (kind === 'put') storage.bucket.grantPut(grantee, SEGMENT_OBJECTS);
    if (kind === 'read') storage.bucket.grantRead(grantee, SEGMENT_OBJECTS);
    if (kind === 'delete') storage.bucket.grantDelete(grantee, SEGMENT_OBJECTS);
  }
  for (const [table, level] of tableEntries(access)) {
    if (level === 'read') storage.tables[table].grantReadData(grantee);
    else storage.tables[table].grantReadWriteData(grantee);
  }
}

/** The environment variables (STREAMBED_BUCKET, STREAMBED_*_TABLE) that `role` may use. */
export function roleEnvironment(storage: StreambedStorage, role: StreambedRole): Record<string, string> {
  const access = ROLE_ACCESS[role];
  const env: Record<string, string> = {};
  if (access.segments.length > 0) env[BUCKET_ENV] = storage.bucket.bucketName;
  for (const [table] of tableEntries(access)) env[TABLES[table].env] = storage.tables[table].tableName;
  return env;
}

function tableEntries(access: RoleAccess): Array<[TableRole, TableAccess]> {
  return Object.entries(access.tables) as Array<[TableRole, TableAccess]>;
}
