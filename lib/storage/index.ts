/** The storage layer of the data path: S3 segments and the DynamoDB tables, behind small classes. */
import { createClients, sharedClients, type StorageClients } from './clients';
import { IndexTable } from './index-table';
import { LeaderTable } from './leader-table';
import { S3SegmentStore, type SegmentStore } from './segment-store';
import { TopicsTable } from './topics-table';

export interface Storage {
  readonly segments: SegmentStore;
  readonly topics: TopicsTable;
  readonly leaders: LeaderTable;
  readonly index: IndexTable;
}

export function createStorage(clients: StorageClients = createClients()): Storage {
  const { config, s3, doc } = clients;
  return {
    segments: new S3SegmentStore(s3, config.bucket),
    topics: new TopicsTable(doc, config.tables.topics),
    leaders: new LeaderTable(doc, config.tables.partitions),
    index: new IndexTable(doc, config.tables.index),
  };
}

let shared: Storage | undefined;

/** One Storage per process, over the shared clients (reused across Lambda invocations). */
export function sharedStorage(): Storage {
  shared ??= createStorage(sharedClients());
  return shared;
}

export type { SegmentRef, LeaderRecord, ProducerState, ProducerUpdate } from './leader-table';
export type { TopicItem, TopicConfig } from './topics-table';
export type { SegmentStore, ByteRange } from './segment-store';
