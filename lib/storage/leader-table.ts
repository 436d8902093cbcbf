/**
 * The partitions table: one leader record per partition, the single point that orders appends.
 * A commit is ONE conditional UpdateItem on this record (DynamoDB transactions are not available in
 * the embedded emulator, and one write is cheaper): it advances the log end offset and records the
 * commit as the partition's `lastCommit`, on condition that the end offset and leader epoch are
 * still the ones the writer read.
 */
import { GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchDelete, batchGet } from './batch-ops';
import { conditionalCall, dynamoCall, isConditionFailed } from './dynamo-errors';

/** Where a run of offsets lives: one segment object. Also the shape of an offset-index entry. */
export interface SegmentRef {
  readonly baseOffset: number;
  readonly count: number;
  /** S3 key of the segment object. */
  readonly key: string;
  /** Size of the segment object in bytes. */
  readonly bytes: number;
  readonly minTimestamp: number;
  readonly maxTimestamp: number;
  /** `[relativeOffset, bytePosition]` of each batch, present when the object holds more than one. */
  readonly batches?: ReadonlyArray<readonly [number, number]>;
  /** Leader epoch under which the segment was committed. */
  readonly leaderEpoch: number;
  readonly committedAt: number;
}

export interface LeaderRecord {
  readonly topicId: string;
  readonly partition: number;
  readonly logStartOffset: number;
  /** Next offset to assign; every offset below it is committed: it is the high watermark. */
  readonly logEndOffset: number;
  readonly leaderEpoch: number;
  /** The newest commit; its index entry may not be written yet (roll-forward). */
  readonly lastCommit?: SegmentRef;
  /** Idempotent producers' state on this partition, by producer id (lib/log/idempotence.ts). */
  readonly producers?: Readonly<Record<string, ProducerState>>;
  readonly updatedAt: number;
}

/** What the partition remembers of one idempotent producer. */
export interface ProducerState {
  readonly epoch: number;
  /** The sequence the next batch of this epoch must start with. */
  readonly nextSequence: number;
  /** The last few batches committed, so a retry can be answered with its original offsets. */
  readonly recent: ReadonlyArray<{ readonly sequence: number; readonly count: number; readonly baseOffset: number }>;
  readonly lastSeen: number;
}

/** A change to the producers map made by the same conditional write as a commit. */
export interface ProducerUpdate {
  readonly id: string;
  readonly state: ProducerState;
  /** Producer ids to forget (expired). */
  readonly expire: readonly string[];
}

/**
 * How a conditional commit ended: applied; refused because the record moved on (another writer
 * won the race); or refused on an SDK retry — the first attempt may have been applied with its
 * response lost, so the refusal may be this very commit's own doing and the caller must look.
 */
export type CommitOutcome = 'committed' | 'conflict' | 'uncertain';

export interface CommitExpectation {
  readonly logEndOffset: number;
  readonly leaderEpoch: number;
}

export class LeaderTable {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(topicId: string, partition: number): Promise<LeaderRecord | undefined> {
    const out = await dynamoCall('GetItem leader record', () =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: { topicId, partition }, ConsistentRead: true })),
    );
    return out.Item as LeaderRecord | undefined;
  }

  /** The leader record, created empty if the partition has never been written. */
  async ensure(topicId: string, partition: number): Promise<LeaderRecord> {
    const existing = await this.get(topicId, partition);
    if (existing) return existing;
    const fresh: LeaderRecord = { topicId, partition, logStartOffset: 0, logEndOffset: 0, leaderEpoch: 0, producers: {}, updatedAt: Date.now() };
    try {
      await dynamoCall('PutItem leader record', () =>
        this.doc.send(new PutCommand({ TableName: this.table, Item: fresh, ConditionExpression: 'attribute_not_exists(topicId)' })),
      );
      return fresh;
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const raced = await this.get(topicId, partition);
      if (!raced) throw new Error(`leader record ${topicId}/${partition} vanished while being created`);
      return raced;
    }
  }

  /** Leader records of several partitions (missing ones are absent from the map). */
  async getMany(topicId: string, partitions: number[]): Promise<Map<number, LeaderRecord>> {
    const items = (await batchGet(this.doc, this.table, partitions.map((partition) => ({ topicId, partition })))) as unknown as LeaderRecord[];
    return new Map(items.map((r) => [r.partition, r]));
  }

  /**
   * Commits `commit` as the next run of offsets, and with it an idempotent producer's new state.
   * 'conflict' when the condition failed: another writer committed first, or the leader epoch
   * moved (the caller re-reads and decides); 'uncertain' when it failed on a retried attempt. Producer state changes only through commits, and
   * every commit moves `logEndOffset`, so the end-offset condition also guarantees the producer
   * state the caller checked is still current.
   */
  async commit(
    topicId: string,
    partition: number,
    expected: CommitExpectation & { readonly hasProducersMap?: boolean },
    commit: SegmentRef,
    producer?: ProducerUpdate,
  ): Promise<CommitOutcome> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {
      ':end': expected.logEndOffset + commit.count,
      ':commit': commit,
      ':now': Date.now(),
      ':expected': expected.logEndOffset,
      ':epoch': expected.leaderEpoch,
    };
    let set = 'SET logEndOffset = :end, lastCommit = :commit, updatedAt = :now';
    let remove = '';
    if (producer) {
      if (expected.hasProducersMap) {
        names['#pid'] = producer.id;
        values[':pstate'] = producer.state;
        set += ', producers.#pid = :pstate';
        const gone = producer.expire.filter((id) => id !== producer.id);
        if (gone.length > 0) {
          gone.forEach((id, i) => (names[`#x${i}`] = id));
          remove = ` REMOVE ${gone.map((_, i) => `producers.#x${i}`).join(', ')}`;
        }
      } else {
        values[':producers'] = { [producer.id]: producer.state };
        set += ', producers = :producers';
      }
    }
    try {
      await dynamoCall('UpdateItem commit', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { topicId, partition },
            UpdateExpression: set + remove,
            ConditionExpression: 'logEndOffset = :expected AND leaderEpoch = :epoch',
            ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
            ExpressionAttributeValues: values,
          }),
        ),
      );
      return 'committed';
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const attempts = (err as { $metadata?: { attempts?: number } }).$metadata?.attempts;
      return attempts === 1 ? 'conflict' : 'uncertain';
    }
  }

  /** Bumps the leader epoch: every writer that read an older epoch is fenced. Returns the new epoch. */
  async bumpEpoch(topicId: string, partition: number): Promise<number> {
    await this.ensure(topicId, partition);
    const out = await dynamoCall('UpdateItem leader epoch', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { topicId, partition },
          UpdateExpression: 'ADD leaderEpoch :one SET updatedAt = :now',
          ExpressionAttributeValues: { ':one': 1, ':now': Date.now() },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    return Number(out.Attributes?.leaderEpoch);
  }

  /**
   * Moves the log start offset forward to `logStartOffset` (retention). Only forward, never past
   * the start of the segment of the partition's last commit (so never past the high watermark
   * either), and never onto a record that does not exist any more (a deleted topic's). Returns
   * false when the condition fails; the caller re-reads.
   */
  async advanceLogStart(topicId: string, partition: number, logStartOffset: number): Promise<boolean> {
    return conditionalCall('UpdateItem log start offset', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { topicId, partition },
          UpdateExpression: 'SET logStartOffset = :start, updatedAt = :now',
          ConditionExpression:
            'attribute_exists(topicId) AND logStartOffset < :start AND logEndOffset >= :start AND lastCommit.baseOffset >= :start',
          ExpressionAttributeValues: { ':start': logStartOffset, ':now': Date.now() },
        }),
      ),
    );
  }

  /** The distinct topic ids that have leader records (maintenance: leftovers of deleted topics). */
  async listTopicIds(): Promise<string[]> {
    const ids = new Set<string>();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamoCall('Scan leader records', () =>
        this.doc.send(
          new ScanCommand({ TableName: this.table, ProjectionExpression: 'topicId', ExclusiveStartKey: start, ConsistentRead: true }),
        ),
      );
      for (const item of page.Items ?? []) ids.add(String(item.topicId));
      start = page.LastEvaluatedKey;
    } while (start);
    return [...ids];
  }

  /** The partitions of a topic incarnation that have a leader record. */
  async partitionsOf(topicId: string): Promise<number[]> {
    const partitions: number[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamoCall('Query leader records', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'topicId = :id',
            ExpressionAttributeValues: { ':id': topicId },
            ProjectionExpression: '#p',
            ExpressionAttributeNames: { '#p': 'partition' },
            ExclusiveStartKey: start,
            ConsistentRead: true,
          }),
        ),
      );
      for (const item of page.Items ?? []) partitions.push(Number(item.partition));
      start = page.LastEvaluatedKey;
    } while (start);
    return partitions;
  }

  /** Removes every leader record of a topic incarnation. */
  async deleteTopic(topicId: string): Promise<void> {
    const partitions = await this.partitionsOf(topicId);
    await batchDelete(this.doc, this.table, partitions.map((partition) => ({ topicId, partition })));
  }
}
