/** The storage layer of the data path: S3 segments and the DynamoDB tables, behind small classes. */
import { createClients, sharedClients, type StorageClients } from './clients';
import { GroupsTable } from './groups-table';
import { TriggerLeaseTable } from './trigger-leases';
import { IndexTable } from './index-table';
import { LeaderTable } from './leader-table';
import { MaintenanceTable } from './maintenance-table';
import { S3SegmentStore, type SegmentStore } from './segment-store';
import { TopicsTable } from './topics-table';
import { UpstashInstanceTable } from './upstash-instances';

export interface Storage {
  readonly segments: SegmentStore;
  readonly topics: TopicsTable;
  readonly leaders: LeaderTable;
  readonly index: IndexTable;
  /** Consumer groups: membership, assignment, committed offsets. */
  readonly groups: GroupsTable;
  /** Trigger dispatcher leases (items of the groups table, docs/triggers.md). */
  readonly triggerLeases: TriggerLeaseTable;
  /** Upstash-compatible consumer instances (items of the groups table, docs/upstash.md). */
  readonly upstashInstances: UpstashInstanceTable;
  /** The maintenance job's lease and pending deletions (items of the index table). */
  readonly maintenance: MaintenanceTable;
}

export function createStorage(clients: StorageClients = createClients()): Storage {
  const { config, s3, doc } = clients;
  return {
    segments: new S3SegmentStore(s3, config.bucket),
    topics: new TopicsTable(doc, config.tables.topics),
    leaders: new LeaderTable(doc, config.tables.partitions),
    index: new IndexTable(doc, config.tables.index),
    groups: new GroupsTable(doc, config.tables.groups),
    triggerLeases: new TriggerLeaseTable(doc, config.tables.groups),
    upstashInstances: new UpstashInstanceTable(doc, config.tables.groups),
    maintenance: new MaintenanceTable(doc, config.tables.index),
  };
}

let shared: Storage | undefined;

/** One Storage per process, over the shared clients (reused across Lambda invocations). */
export function sharedStorage(): Storage {
  shared ??= createStorage(sharedClients());
  return shared;
}

export type { SegmentRef, LeaderRecord, ProducerState, ProducerUpdate, CommitOutcome } from './leader-table';
export type { TopicItem, TopicConfig } from './topics-table';
export type { SegmentStore, ByteRange, SegmentObject } from './segment-store';
export type { PendingDeletion, MaintenanceLease } from './maintenance-table';
export type { GroupMetaItem, GroupMemberItem, GroupMetaWrite, GroupRead, MemberLiveness, OffsetItem, TopicSnapshotItem } from './groups-table';
export type { TriggerLeaseItem } from './trigger-leases';
export type { UpstashInstanceItem, AutoOffsetReset } from './upstash-instances';
