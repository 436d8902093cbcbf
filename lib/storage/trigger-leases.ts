/**
 * Trigger dispatcher leases: one item per (trigger, partition) in the groups table, next to the
 * trigger's committed offsets: pk `group` = `trigger.<name>`, sk `key` = `lease#<topic>#<partition>`,
 * attributes `epoch` (bumped on every acquisition), `owner`, `expiresAt` (epoch ms).
 *
 * `lease#…` sorts before `member#…`, so the groups code's member/meta Query never reads it, and
 * its `offset#…` queries never either. Every write is conditional (no transactions needed):
 * - acquire: bump the epoch read, on condition that the item is still the one read and expired
 *   (or released, or absent);
 * - renew / release: on condition that the epoch is still this holder's.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalCall, dynamoCall, isConditionFailed } from './dynamo-errors';

export interface TriggerLeaseItem {
  readonly epoch: number;
  readonly owner: string;
  /** Epoch ms; a lease with `expiresAt < now` may be taken over. 0 = released. */
  readonly expiresAt: number;
}

export function triggerLeaseKey(topic: string, partition: number): string {
  return `lease#${topic}#${partition}`;
}

export class TriggerLeaseTable {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(group: string, topic: string, partition: number): Promise<TriggerLeaseItem | undefined> {
    const out = await dynamoCall('GetItem trigger lease', () =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: { group, key: triggerLeaseKey(topic, partition) }, ConsistentRead: true })),
    );
    if (!out.Item) return undefined;
    return { epoch: Number(out.Item.epoch), owner: String(out.Item.owner), expiresAt: Number(out.Item.expiresAt) };
  }

  /**
   * Takes the lease with epoch `previous.epoch + 1` (1 when there was none), on condition that it
   * is still `previous` (same epoch) and expired at `now`. False when someone else got there first
   * or the lease is live.
   */
  async acquire(group: string, topic: string, partition: number, previous: TriggerLeaseItem | undefined, owner: string, now: number, leaseMs: number): Promise<boolean> {
    const key = triggerLeaseKey(topic, partition);
    try {
      if (previous === undefined) {
        await dynamoCall('PutItem trigger lease', () =>
          this.doc.send(
            new PutCommand({
              TableName: this.table,
              Item: { group, key, epoch: 1, owner, expiresAt: now + leaseMs },
              ConditionExpression: 'attribute_not_exists(#k)',
              ExpressionAttributeNames: { '#k': 'key' },
            }),
          ),
        );
      } else {
        await dynamoCall('UpdateItem trigger lease acquire', () =>
          this.doc.send(
            new UpdateCommand({
              TableName: this.table,
              Key: { group, key },
              UpdateExpression: 'SET epoch = :next, #o = :owner, expiresAt = :exp',
              ConditionExpression: 'epoch = :seen AND expiresAt < :now',
              ExpressionAttributeNames: { '#o': 'owner' },
              ExpressionAttributeValues: { ':next': previous.epoch + 1, ':owner': owner, ':exp': now + leaseMs, ':seen': previous.epoch, ':now': now },
            }),
          ),
        );
      }
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  /** Extends the lease to `expiresAt` if `epoch` still holds it (0 releases it). False when taken over. */
  async extend(group: string, topic: string, partition: number, epoch: number, expiresAt: number): Promise<boolean> {
    return conditionalCall('UpdateItem trigger lease renew', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { group, key: triggerLeaseKey(topic, partition) },
          UpdateExpression: 'SET expiresAt = :exp',
          ConditionExpression: 'epoch = :e',
          ExpressionAttributeValues: { ':exp': expiresAt, ':e': epoch },
        }),
      ),
    );
  }
}
