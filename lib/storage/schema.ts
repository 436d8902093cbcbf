/**
 * The storage layout, in one place: the DynamoDB tables (key schemas) and the S3 object keys.
 * The CDK app (infra/) and the local bootstrap (lib/local) both build their resources from this
 * module, so the deployed and the local layout cannot drift apart.
 */

export type KeyType = 'S' | 'N';

export interface TableSpec {
  /** Logical role; also the suffix of the default local table name. */
  readonly role: 'topics' | 'partitions' | 'index' | 'groups';
  /** Environment variable that carries the table's name into a function. */
  readonly env: string;
  readonly partitionKey: { readonly name: string; readonly type: KeyType };
  readonly sortKey?: { readonly name: string; readonly type: KeyType };
  readonly description: string;
}

export const TABLES = {
  topics: {
    role: 'topics',
    env: 'STREAMBED_TOPICS_TABLE',
    partitionKey: { name: 'name', type: 'S' },
    description: 'one item per topic: name → topic id, partition count, config',
  },
  partitions: {
    role: 'partitions',
    env: 'STREAMBED_PARTITIONS_TABLE',
    partitionKey: { name: 'topicId', type: 'S' },
    sortKey: { name: 'partition', type: 'N' },
    description: "one leader record per partition: log start/end offset, leader epoch, the partition's last commit",
  },
  index: {
    role: 'index',
    env: 'STREAMBED_INDEX_TABLE',
    partitionKey: { name: 'tp', type: 'S' },
    sortKey: { name: 'baseOffset', type: 'N' },
    description: 'the offset index: (topicId#partition, baseOffset) → segment object, count, bytes, time range',
  },
  groups: {
    role: 'groups',
    env: 'STREAMBED_GROUPS_TABLE',
    partitionKey: { name: 'group', type: 'S' },
    sortKey: { name: 'key', type: 'S' },
    description: 'consumer-group state: members, generation, committed offsets',
  },
} as const satisfies Record<string, TableSpec>;

export type TableRole = keyof typeof TABLES;

export const BUCKET_ENV = 'STREAMBED_BUCKET';

/** Names the local stack uses (embedded emulators or LocalStack). */
export const LOCAL_NAMES = {
  bucket: 'streambed-segments',
  tables: {
    topics: 'streambed-topics',
    partitions: 'streambed-partitions',
    index: 'streambed-index',
    groups: 'streambed-groups',
  } satisfies Record<TableRole, string>,
} as const;

/** Partition key of the offset index and prefix of S3 keys: stable across renames, new per topic incarnation. */
export function topicPartitionKey(topicId: string, partition: number): string {
  return `${topicId}#${partition}`;
}

/** Prefix under which every segment object of one partition lives. */
export function segmentPrefix(topicId: string, partition: number): string {
  return `segments/${topicId}/${partition}/`;
}

/** Prefix of every segment object of one topic incarnation (used when a topic is deleted). */
export function topicPrefix(topicId: string): string {
  return `segments/${topicId}/`;
}

/**
 * Items of the maintenance job kept in the index table under reserved partition keys. A topic
 * partition's key is `<uuid>#<n>`, so these can never collide with an offset-index partition.
 * - `lease`: one item (sort key 0): the maintenance run that may currently change the log.
 * - `deletions`: one item per segment object waiting to be deleted (sort key: a 53-bit hash of
 *   the object key), so reads already holding its old index entry can finish first.
 */
export const MAINTENANCE_KEYS = {
  lease: 'maintenance#lease',
  deletions: 'maintenance#deletions',
} as const;

/**
 * The time (epoch ms) in the name of a segment key written by the segment store
 * (`…/{base36 ms, 9 chars}-{uuid}.kafka`), or undefined for a key not of that form.
 */
export function segmentKeyTime(key: string): number | undefined {
  const m = /\/([0-9a-z]{9})-[0-9a-f-]{36}\.kafka$/.exec(key);
  return m ? parseInt(m[1], 36) : undefined;
}
