/**
 * The harness's direct access to storage (SDK clients to the emulators, bypassing the API):
 * leader epoch bumps as a takeover would do them, and the end-of-run audit of objects, index
 * entries and leader records that the checker needs for zombies, orphans and deleted objects.
 */
import { ListObjectsCommand } from '@aws-sdk/client-s3';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createClients, type StorageClients, type StorageConfig } from '../../lib/storage/clients';
import { topicPartitionKey, topicPrefix } from '../../lib/storage/schema';
import { createStorage, type SegmentRef, type Storage } from '../../lib/storage';
import { now, type HistoryWriter, type SegmentEntry } from './history';

export class StorageProbe {
  private readonly clients: StorageClients;

  constructor(config: StorageConfig) {
    // Never with injected faults: the harness must see storage as it is.
    const saved = process.env.STREAMBED_FAULTS;
    delete process.env.STREAMBED_FAULTS;
    try {
      this.clients = createClients(config);
    } finally {
      if (saved !== undefined) process.env.STREAMBED_FAULTS = saved;
    }
  }

  async topicId(name: string): Promise<string> {
    const out = await this.clients.doc.send(new GetCommand({ TableName: this.clients.config.tables.topics, Key: { name }, ConsistentRead: true }));
    const id = out.Item?.topicId;
    if (typeof id !== 'string') throw new Error(`topic ${name} not found in storage`);
    return id;
  }

  /**
   * Bumps the partition's leader epoch (as LeaderTable.bumpEpoch does) and returns the new epoch
   * with the log end offset at that very write (ReturnValues ALL_NEW), so the checker knows
   * exactly which offsets were committed after the fence.
   */
  async bumpEpoch(topicId: string, partition: number): Promise<{ epoch: number; logEndOffset: number }> {
    const TableName = this.clients.config.tables.partitions;
    const Key = { topicId, partition };
    const existing = await this.clients.doc.send(new GetCommand({ TableName, Key, ConsistentRead: true }));
    if (!existing.Item) {
      // Never written: nothing to fence, and a bare epoch item would not be a valid leader record.
      return { epoch: 0, logEndOffset: 0 };
    }
    const out = await this.clients.doc.send(
      new UpdateCommand({
        TableName,
        Key,
        UpdateExpression: 'ADD leaderEpoch :one SET updatedAt = :now',
        ConditionExpression: 'attribute_exists(topicId)',
        ExpressionAttributeValues: { ':one': 1, ':now': Date.now() },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { epoch: Number(out.Attributes?.leaderEpoch), logEndOffset: Number(out.Attributes?.logEndOffset) };
  }

  /** Logs objects, index entries and leader records of the topic as audit events. */
  async audit(topicName: string, partitions: number, history: HistoryWriter): Promise<void> {
    const topicId = await this.topicId(topicName);
    const keys: string[] = [];
    for (let startAfter: string | undefined; ; ) {
      // ListObjects v1 with Marker: s3rver answers a truncated v2 listing with 500 (its continuation
      // tokens use DES, which OpenSSL 3 refuses), i.e. any prefix holding more than MaxKeys keys.
      const page = await this.clients.s3.send(
        new ListObjectsCommand({ Bucket: this.clients.config.bucket, Prefix: topicPrefix(topicId), Marker: startAfter, MaxKeys: 1000 }),
      );
      const batch = (page.Contents ?? []).map((o) => o.Key).filter((k): k is string => Boolean(k));
      keys.push(...batch);
      if (batch.length < 1000) break;
      startAfter = batch[batch.length - 1];
    }
    history.write({ type: 'audit', f: 'objects', time: now(), keys });
    for (let partition = 0; partition < partitions; partition++) {
      const entries: SegmentEntry[] = [];
      for (let from = -1; ; ) {
        const page = await this.clients.doc.send(
          new QueryCommand({
            TableName: this.clients.config.tables.index,
            KeyConditionExpression: 'tp = :tp AND baseOffset > :o',
            ExpressionAttributeValues: { ':tp': topicPartitionKey(topicId, partition), ':o': from },
            ConsistentRead: true,
            Limit: 500,
          }),
        );
        const items = (page.Items ?? []) as SegmentRef[];
        entries.push(...items.map(entry));
        if (items.length === 0) break;
        from = items[items.length - 1].baseOffset;
      }
      history.write({ type: 'audit', f: 'index', time: now(), partition, entries });
      const leader = await this.clients.doc.send(
        new GetCommand({ TableName: this.clients.config.tables.partitions, Key: { topicId, partition }, ConsistentRead: true }),
      );
      const item = leader.Item as { logStartOffset?: number; logEndOffset?: number; leaderEpoch?: number; lastCommit?: SegmentRef } | undefined;
      history.write({
        type: 'audit',
        f: 'leader',
        time: now(),
        partition,
        logStartOffset: item?.logStartOffset ?? 0,
        logEndOffset: item?.logEndOffset ?? 0,
        leaderEpoch: item?.leaderEpoch ?? 0,
        lastCommit: item?.lastCommit ? entry(item.lastCommit) : undefined,
      });
    }
  }

  /** The product's storage layer over the same clients (for a maintenance pass run by the harness). */
  storage(): Storage {
    return createStorage(this.clients);
  }

  close(): void {
    this.clients.s3.destroy();
    this.clients.dynamo.destroy();
  }
}

function entry(ref: SegmentRef): SegmentEntry {
  return { baseOffset: ref.baseOffset, count: ref.count, key: ref.key, leaderEpoch: ref.leaderEpoch };
}
