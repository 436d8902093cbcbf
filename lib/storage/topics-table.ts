/** The topics table: one item per topic name, pointing at the topic's current incarnation (topicId). */
import { DeleteCommand, GetCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StreambedError } from '../errors';
import { conditionalCall, dynamoCall, isConditionFailed } from './dynamo-errors';

export interface TopicConfig {
  'retention.ms': number;
  'retention.bytes': number;
  'max.message.bytes': number;
  'compression.type': 'none' | 'gzip' | 'zstd' | 'lz4' | 'snappy';
}

export interface TopicItem {
  readonly name: string;
  /** New for every creation of the name: data of a deleted topic can never leak into a new one. */
  readonly topicId: string;
  readonly partitions: number;
  readonly config: TopicConfig;
  readonly createdAt: number;
}

export class TopicsTable {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Creates the topic atomically; 409 TOPIC_ALREADY_EXISTS if the name is taken. */
  async create(item: TopicItem): Promise<void> {
    try {
      await dynamoCall('PutItem topic', () =>
        this.doc.send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(#n)', ExpressionAttributeNames: { '#n': 'name' } })),
      );
    } catch (err) {
      if (isConditionFailed(err)) throw new StreambedError('TOPIC_ALREADY_EXISTS', `topic "${item.name}" already exists`);
      throw err;
    }
  }

  async get(name: string): Promise<TopicItem | undefined> {
    const out = await dynamoCall('GetItem topic', () =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: { name }, ConsistentRead: true })),
    );
    return out.Item as TopicItem | undefined;
  }

  async list(): Promise<TopicItem[]> {
    const items: TopicItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamoCall('Scan topics', () =>
        this.doc.send(new ScanCommand({ TableName: this.table, ExclusiveStartKey: start, ConsistentRead: true })),
      );
      items.push(...((page.Items ?? []) as TopicItem[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Deletes the topic if it is still the given incarnation; false when it was already gone. */
  async delete(name: string, topicId: string): Promise<boolean> {
    return conditionalCall('DeleteItem topic', () =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { name },
          ConditionExpression: 'topicId = :id',
          ExpressionAttributeValues: { ':id': topicId },
        }),
      ),
    );
  }
}
