/**
 * The maintenance job's own items, kept in the offset-index table under reserved partition keys
 * (schema.ts MAINTENANCE_KEYS), so the job needs no table of its own:
 * - the run lease: at most one maintenance run changes the log at a time;
 * - pending deletions: segment objects no index entry refers to any more, deleted only once
 *   reads that may still hold their old index entry have finished (docs/maintenance.md).
 */
import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchDelete, batchPut } from './batch-ops';
import { conditionalCall, dynamoCall, isConditionFailed } from './dynamo-errors';
import { MAINTENANCE_KEYS } from './schema';

export interface PendingDeletion {
  /** S3 key of the segment object. */
  readonly key: string;
  readonly topicId: string;
  readonly partition: number;
  /** Base offset of the index entry that referred to the object; checked again before deleting. */
  readonly entryBaseOffset: number;
  readonly bytes: number;
  readonly reason: 'retention' | 'compaction' | 'cleanup';
  /** Epoch ms before which the object is not deleted. */
  readonly dueAt: number;
}

export interface MaintenanceLease {
  /** Id of the run holding it. */
  readonly holder: string;
  readonly acquiredAt: number;
  /** Epoch ms (holder's clock) after which another run may take it over. */
  readonly expiresAt: number;
}

/** Sort key of a pending deletion: the first 53 bits of SHA-256(key), so a re-schedule overwrites. */
export function deletionId(key: string): number {
  return Number(createHash('sha256').update(key).digest().readBigUInt64BE(0) >> 11n);
}

export class MaintenanceTable {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    /** The offset-index table. */
    private readonly table: string,
  ) {}

  /**
   * Takes the lease for `holder` until `now + durationMs` if it is free, expired, or already
   * `holder`'s. False when another run holds it.
   */
  async acquireLease(holder: string, now: number, durationMs: number): Promise<boolean> {
    const item = { tp: MAINTENANCE_KEYS.lease, baseOffset: 0, holder, acquiredAt: now, expiresAt: now + durationMs };
    return conditionalCall('PutItem maintenance lease', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(tp) OR expiresAt < :now OR holder = :holder',
          ExpressionAttributeValues: { ':now': now, ':holder': holder },
        }),
      ),
    );
  }

  async getLease(): Promise<MaintenanceLease | undefined> {
    const out = await dynamoCall('GetItem maintenance lease', () =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: { tp: MAINTENANCE_KEYS.lease, baseOffset: 0 }, ConsistentRead: true })),
    );
    if (!out.Item) return undefined;
    const { holder, acquiredAt, expiresAt } = out.Item as MaintenanceLease;
    return { holder, acquiredAt, expiresAt };
  }

  /** Gives the lease up if `holder` still has it. */
  async releaseLease(holder: string): Promise<void> {
    try {
      await dynamoCall('DeleteItem maintenance lease', () =>
        this.doc.send(
          new DeleteCommand({
            TableName: this.table,
            Key: { tp: MAINTENANCE_KEYS.lease, baseOffset: 0 },
            ConditionExpression: 'holder = :holder',
            ExpressionAttributeValues: { ':holder': holder },
          }),
        ),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  /** Records objects to delete later; scheduling a key again replaces its item (and its due time). */
  async scheduleDeletions(items: readonly PendingDeletion[]): Promise<void> {
    await batchPut(
      this.doc,
      this.table,
      items.map((d) => ({ tp: MAINTENANCE_KEYS.deletions, baseOffset: deletionId(d.key), ...d })),
    );
  }

  /** Every pending deletion, due or not. */
  async listDeletions(): Promise<PendingDeletion[]> {
    const out: PendingDeletion[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamoCall('Query pending deletions', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'tp = :tp',
            ExpressionAttributeValues: { ':tp': MAINTENANCE_KEYS.deletions },
            ExclusiveStartKey: start,
            ConsistentRead: true,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        const { key, topicId, partition, entryBaseOffset, bytes, reason, dueAt } = item as PendingDeletion;
        out.push({ key, topicId, partition, entryBaseOffset, bytes, reason, dueAt });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async removeDeletions(keys: readonly string[]): Promise<void> {
    await batchDelete(
      this.doc,
      this.table,
      keys.map((key) => ({ tp: MAINTENANCE_KEYS.deletions, baseOffset: deletionId(key) })),
    );
  }
}
