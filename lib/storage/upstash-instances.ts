/**
 * Upstash-compatible consumer instances (lib/api/upstash): one item per (group, instance id) in the
 * groups table, next to the group's own items: pk `group`, sk `upstash#<instanceId>`. It holds the
 * group member the instance is (member id and the generation it last saw), the settings it was
 * created with (auto-commit, interval, offset reset, session timeout) and its consumed-but-not-yet-
 * committed positions, so the HTTP server keeps no state between calls.
 *
 * `upstash#…` sorts after `offset#…`: the groups code's member/meta Query (`member#`…`meta`) and its
 * `offset#` prefix queries never read these items. Writes are conditional on `version`, so two
 * calls for the same instance at once cannot silently lose one's positions.
 */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalCall, dynamoCall } from './dynamo-errors';

export const UPSTASH_INSTANCE_PREFIX = 'upstash#';

export type AutoOffsetReset = 'earliest' | 'latest' | 'none';

export interface UpstashInstanceItem {
  readonly memberId: string;
  readonly generation: number;
  /** The subscription, sorted. */
  readonly topics: string[];
  readonly autoCommit: boolean;
  readonly autoCommitIntervalMs: number;
  readonly autoOffsetReset: AutoOffsetReset;
  readonly sessionTimeoutMs: number;
  /** `topic#partition` → the next offset to deliver (everything below was returned to the caller). */
  readonly positions: Record<string, number>;
  /** Epoch ms of the last auto-commit (or of the instance's creation). */
  readonly lastCommitAt: number;
  /** Bumped by every write; absent (0) before the first one. */
  readonly version: number;
}

export function upstashInstanceKey(instanceId: string): string {
  return `${UPSTASH_INSTANCE_PREFIX}${instanceId}`;
}

export class UpstashInstanceTable {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(group: string, instanceId: string): Promise<UpstashInstanceItem | undefined> {
    const out = await dynamoCall('GetItem upstash instance', () =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: { group, key: upstashInstanceKey(instanceId) }, ConsistentRead: true })),
    );
    if (!out.Item) return undefined;
    const i = out.Item;
    return {
      memberId: String(i.memberId),
      generation: Number(i.generation),
      topics: (i.topics as string[] | undefined) ?? [],
      autoCommit: i.autoCommit === true,
      autoCommitIntervalMs: Number(i.autoCommitIntervalMs),
      autoOffsetReset: i.autoOffsetReset as AutoOffsetReset,
      sessionTimeoutMs: Number(i.sessionTimeoutMs),
      positions: (i.positions as Record<string, number> | undefined) ?? {},
      lastCommitAt: Number(i.lastCommitAt),
      version: Number(i.version ?? 0),
    };
  }

  /**
   * Writes `item` with version `expectedVersion + 1`, on condition that the stored one is still
   * `expectedVersion` (0: that there is none). False when another call wrote first.
   */
  async put(group: string, instanceId: string, expectedVersion: number, item: Omit<UpstashInstanceItem, 'version'>): Promise<boolean> {
    return conditionalCall('PutItem upstash instance', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...item, group, key: upstashInstanceKey(instanceId), version: expectedVersion + 1, updatedAt: Date.now() },
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(#k)', ExpressionAttributeNames: { '#k': 'key' } }
            : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
        }),
      ),
    );
  }

  async delete(group: string, instanceId: string): Promise<void> {
    await dynamoCall('DeleteItem upstash instance', () =>
      this.doc.send(new DeleteCommand({ TableName: this.table, Key: { group, key: upstashInstanceKey(instanceId) } })),
    );
  }
}
