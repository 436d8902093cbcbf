/**
 * The offset index: (topicId#partition, baseOffset) → the segment holding that run of offsets.
 * The analogue of Kafka's .index file; written after each commit and, when a writer died between
 * commit and index write, by whoever next sees the leader record (roll-forward).
 */
import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchDelete } from './batch-ops';
import { conditionalCall, dynamoCall, isConditionFailed } from './dynamo-errors';
import type { SegmentRef } from './leader-table';
import { topicPartitionKey } from './schema';

export class IndexTable {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Writes the entry unless one already exists at that base offset (roll-forward is idempotent). */
  async putIfAbsent(topicId: string, partition: number, ref: SegmentRef): Promise<void> {
    try {
      await dynamoCall('PutItem index entry', () =>
        this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { tp: topicPartitionKey(topicId, partition), ...ref },
            ConditionExpression: 'attribute_not_exists(baseOffset)',
          }),
        ),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  async get(topicId: string, partition: number, baseOffset: number): Promise<SegmentRef | undefined> {
    const out = await this.query(topicId, partition, 'baseOffset = :o', baseOffset, true, 1);
    return out[0];
  }

  /** The entry with the greatest base offset ≤ offset. */
  async floor(topicId: string, partition: number, offset: number): Promise<SegmentRef | undefined> {
    const out = await this.query(topicId, partition, 'baseOffset <= :o', offset, false, 1);
    return out[0];
  }

  /** Up to `limit` entries with base offset > offset, in offset order. */
  async after(topicId: string, partition: number, offset: number, limit: number): Promise<SegmentRef[]> {
    return this.query(topicId, partition, 'baseOffset > :o', offset, true, limit);
  }

  /** Every entry of a partition with base offset > `after`, in offset order (maintenance). */
  async list(topicId: string, partition: number, after = -1): Promise<SegmentRef[]> {
    const out: SegmentRef[] = [];
    for (let from = after; ; ) {
      // Until an empty page: a page can stop short of the limit at DynamoDB's 1 MB page size.
      const page = await this.query(topicId, partition, 'baseOffset > :o', from, true, 500);
      if (page.length === 0) return out;
      out.push(...page);
      from = page[page.length - 1].baseOffset;
    }
  }

  /**
   * Replaces the entry at `ref.baseOffset` with `ref` if that entry still points at the object
   * `expectedKey` (compaction's swap). False when it is gone or points elsewhere.
   */
  async replaceIfKey(topicId: string, partition: number, ref: SegmentRef, expectedKey: string): Promise<boolean> {
    return conditionalCall('PutItem index entry (replace)', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { tp: topicPartitionKey(topicId, partition), ...ref },
          ConditionExpression: '#k = :old',
          ExpressionAttributeNames: { '#k': 'key' },
          ExpressionAttributeValues: { ':old': expectedKey },
        }),
      ),
    );
  }

  /** Deletes the entry at `baseOffset` if it still points at the object `expectedKey`. */
  async deleteIfKey(topicId: string, partition: number, baseOffset: number, expectedKey: string): Promise<boolean> {
    return conditionalCall('DeleteItem index entry', () =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { tp: topicPartitionKey(topicId, partition), baseOffset },
          ConditionExpression: '#k = :old',
          ExpressionAttributeNames: { '#k': 'key' },
          ExpressionAttributeValues: { ':old': expectedKey },
        }),
      ),
    );
  }

  /** Deletes every entry of a partition. */
  async deletePartition(topicId: string, partition: number): Promise<void> {
    const tp = topicPartitionKey(topicId, partition);
    let from = -1;
    for (;;) {
      const page = await this.query(topicId, partition, 'baseOffset > :o', from, true, 500);
      if (page.length === 0) return;
      await batchDelete(this.doc, this.table, page.map((e) => ({ tp, baseOffset: e.baseOffset })));
      from = page[page.length - 1].baseOffset;
    }
  }

  private async query(
    topicId: string,
    partition: number,
    condition: string,
    offset: number,
    forward: boolean,
    limit: number,
  ): Promise<SegmentRef[]> {
    const out = await dynamoCall('Query offset index', () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: `tp = :tp AND ${condition}`,
          ExpressionAttributeValues: { ':tp': topicPartitionKey(topicId, partition), ':o': offset },
          ScanIndexForward: forward,
          Limit: limit,
          ConsistentRead: true,
        }),
      ),
    );
    return ((out.Items ?? []) as Array<SegmentRef & { tp?: string }>).map(({ tp: _tp, ...ref }) => ref);
  }
}
