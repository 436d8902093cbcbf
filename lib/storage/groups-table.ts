/**
 * The groups table (pk `group`, sk `key`): consumer-group state.
 *
 * | sk | item |
 * | --- | --- |
 * | `member#<memberId>` | a member's liveness: `seen` (last join or heartbeat, epoch ms), `sessionTimeoutMs` |
 * | `meta` | the group: `version`, `generation`, `members` (id → instance id, topics, joinedAt), `assignment` (id → topic → partitions), `topics` (the snapshot the assignment was made from), `hasOffsets` |
 * | `offset#<topic>#<partition>` | a committed offset: `offset`, `metadata`, the `generation` it was committed under, `topicId`, `memberId`, `committedAt` |
 *
 * plus one directory item per group under pk `#groups` (no group can have that name: group names
 * are `[a-zA-Z0-9._-]`), so listing groups is one Query, not a Scan over every offset.
 *
 * `member#…` sorts before `meta`, which sorts before `offset#…`: one consistent Query
 * (`key BETWEEN 'member#' AND 'meta'`) reads a group's members and its meta item together.
 *
 * Liveness lives in small items of its own because DynamoDB bills an UpdateItem by the size of the
 * whole item: a heartbeat that set a field of the (multi-KB) group item would cost one write unit
 * per KB of group; on its member item it costs one. Structural changes are one conditional write
 * on `meta`, guarded by `version` (no transactions: the embedded emulator has none).
 */
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StreambedError } from '../errors';
import { conditionalCall, dynamoCall, isConditionFailed } from './dynamo-errors';
import {
  GROUP_DIRECTORY,
  GROUP_META_KEY,
  MAX_GROUP_ITEM_BYTES,
  MEMBER_PREFIX,
  memberKey,
  offsetKey,
  type GroupMetaItem,
  type GroupMetaWrite,
  type GroupRead,
  type MemberLiveness,
  type OffsetItem,
} from './group-items';
import { itemBytes } from './item-size';

export * from './group-items';

export class GroupsTable {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The meta item and every member liveness item of `group`, in one consistent Query. */
  async read(group: string): Promise<GroupRead> {
    let meta: GroupMetaItem | undefined;
    const liveness: Record<string, MemberLiveness> = {};
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamoCall('Query group', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.table,
            // (Not `:from`: the bundle test reads `from"…"` in minified code as an import.)
            KeyConditionExpression: '#g = :g AND #k BETWEEN :lowest AND :highest',
            ExpressionAttributeNames: { '#g': 'group', '#k': 'key' },
            ExpressionAttributeValues: { ':g': group, ':lowest': MEMBER_PREFIX, ':highest': GROUP_META_KEY },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        const key = String(item.key);
        if (key === GROUP_META_KEY) meta = item as unknown as GroupMetaItem;
        else if (key.startsWith(MEMBER_PREFIX)) {
          liveness[key.slice(MEMBER_PREFIX.length)] = { seen: Number(item.seen), sessionTimeoutMs: Number(item.sessionTimeoutMs) };
        }
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return { meta, liveness };
  }

  /**
   * Writes a new group structure: creates the item when `expectedVersion` is undefined, else
   * replaces its structure on condition that its version is still `expectedVersion`. False when
   * the condition failed: re-read and retry.
   */
  async writeMeta(group: string, expectedVersion: number | undefined, write: GroupMetaWrite): Promise<boolean> {
    const now = Date.now();
    const bytes = itemBytes({ group, key: GROUP_META_KEY, ...write, hasOffsets: true, updatedAt: now });
    if (bytes > MAX_GROUP_ITEM_BYTES) {
      throw new StreambedError(
        'INVALID_REQUEST',
        `group "${group}" would need ${Math.ceil(bytes / 1024)} KB of state (members and assignment), over the ${MAX_GROUP_ITEM_BYTES / 1024} KB limit; use fewer members or subscribe to fewer partitions`,
      );
    }
    try {
      if (expectedVersion === undefined) {
        await dynamoCall('PutItem group', () =>
          this.doc.send(
            new PutCommand({
              TableName: this.table,
              Item: { group, key: GROUP_META_KEY, ...write, updatedAt: now },
              ConditionExpression: 'attribute_not_exists(#k)',
              ExpressionAttributeNames: { '#k': 'key' },
            }),
          ),
        );
      } else {
        await dynamoCall('UpdateItem group', () =>
          this.doc.send(
            new UpdateCommand({
              TableName: this.table,
              Key: { group, key: GROUP_META_KEY },
              UpdateExpression: 'SET version = :v, generation = :g, members = :m, assignment = :a, topics = :t, updatedAt = :now',
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: {
                ':v': write.version,
                ':g': write.generation,
                ':m': write.members,
                ':a': write.assignment,
                ':t': write.topics,
                ':now': now,
                ':expected': expectedVersion,
              },
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

  /** Creates (or replaces) a member's liveness item. */
  async putMember(group: string, memberId: string, liveness: MemberLiveness): Promise<void> {
    await dynamoCall('PutItem group member', () =>
      this.doc.send(new PutCommand({ TableName: this.table, Item: { group, key: memberKey(memberId), ...liveness } })),
    );
  }

  /**
   * A heartbeat: sets the member's `seen` to `now` (and its session timeout, if given) if its
   * liveness item exists and its last heartbeat is not older than `notBefore`. False otherwise:
   * the member expired or was removed.
   */
  async touchMember(group: string, memberId: string, now: number, notBefore: number, sessionTimeoutMs?: number): Promise<boolean> {
    const values: Record<string, unknown> = { ':now': now, ':notBefore': notBefore };
    if (sessionTimeoutMs !== undefined) values[':timeout'] = sessionTimeoutMs;
    return conditionalCall('UpdateItem group member', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { group, key: memberKey(memberId) },
          UpdateExpression: sessionTimeoutMs === undefined ? 'SET seen = :now' : 'SET seen = :now, sessionTimeoutMs = :timeout',
          ConditionExpression: 'seen >= :notBefore',
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  /**
   * Removes a member's liveness item if its last heartbeat is older than `cutoff` (or, without
   * `cutoff`, unconditionally). From then on its heartbeats are refused. False when the member
   * heartbeated after all.
   */
  async deleteMember(group: string, memberId: string, cutoff?: number): Promise<boolean> {
    return conditionalCall('DeleteItem group member', () =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { group, key: memberKey(memberId) },
          ...(cutoff === undefined
            ? {}
            : { ConditionExpression: 'attribute_not_exists(seen) OR seen < :cutoff', ExpressionAttributeValues: { ':cutoff': cutoff } }),
        }),
      ),
    );
  }

  /** Marks the group as having committed offsets, creating an empty group item if there is none. */
  async markHasOffsets(group: string): Promise<void> {
    await dynamoCall('UpdateItem group offsets flag', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { group, key: GROUP_META_KEY },
          UpdateExpression:
            'SET hasOffsets = :yes, version = if_not_exists(version, :zero), generation = if_not_exists(generation, :zero), ' +
            'members = if_not_exists(members, :empty), assignment = if_not_exists(assignment, :empty), ' +
            'topics = if_not_exists(topics, :empty), updatedAt = if_not_exists(updatedAt, :now)',
          ExpressionAttributeValues: { ':yes': true, ':zero': 0, ':empty': {}, ':now': Date.now() },
        }),
      ),
    );
  }

  /** Adds the group to the directory (idempotent). */
  async addToDirectory(group: string): Promise<void> {
    await dynamoCall('UpdateItem group directory', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { group: GROUP_DIRECTORY, key: group },
          UpdateExpression: 'SET createdAt = if_not_exists(createdAt, :now)',
          ExpressionAttributeValues: { ':now': Date.now() },
        }),
      ),
    );
  }

  /** Every group name in the directory, sorted. */
  async directory(): Promise<string[]> {
    const names: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamoCall('Query group directory', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: '#g = :dir',
            ExpressionAttributeNames: { '#g': 'group', '#k': 'key' },
            ExpressionAttributeValues: { ':dir': GROUP_DIRECTORY },
            ProjectionExpression: '#k',
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of page.Items ?? []) names.push(String(item.key));
      start = page.LastEvaluatedKey;
    } while (start);
    return names.sort();
  }

  /**
   * Stores a committed offset unless one made under a newer generation is already stored.
   * False when refused.
   */
  async commitOffset(group: string, item: OffsetItem): Promise<boolean> {
    return conditionalCall('PutItem group offset', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...item, group, key: offsetKey(item.topic, item.partition) },
          ConditionExpression: 'attribute_not_exists(#k) OR generation <= :g',
          ExpressionAttributeNames: { '#k': 'key' },
          ExpressionAttributeValues: { ':g': item.generation },
        }),
      ),
    );
  }

  /** Committed offsets of the group: of one topic, or of every topic. */
  async offsets(group: string, topic?: string): Promise<OffsetItem[]> {
    const prefix = topic === undefined ? 'offset#' : `offset#${topic}#`;
    const items: OffsetItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamoCall('Query group offsets', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: '#g = :g AND begins_with(#k, :prefix)',
            ExpressionAttributeNames: { '#g': 'group', '#k': 'key' },
            ExpressionAttributeValues: { ':g': group, ':prefix': prefix },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        ),
      );
      items.push(...((page.Items ?? []) as OffsetItem[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
