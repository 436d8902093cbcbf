/**
 * The admin client: topics, offsets and consumer groups, with kafkajs's method names where the
 * operation exists in Kafka (createTopics, listTopics, fetchTopicMetadata, deleteTopics,
 * fetchTopicOffsets, fetchTopicOffsetsByTimestamp, listGroups, describeGroups, fetchOffsets,
 * setOffsets) plus Streambed's own (describeTopic, groupLag). Every call goes through the retry
 * helper; failures are StreambedClientErrors.
 *
 * @example
 * const admin = streambed.admin();
 * await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] });
 * const offsets = await admin.fetchTopicOffsets('orders'); // [{ partition, offset, high, low }]
 */
import { StreambedClientError } from './errors';
import { decodeRecord, type FetchBody } from './partition-reader';
import { retry, type RetryOptions } from './retry';
import { seg, type Transport } from './transport';
import type { KafkaMessage, TopicPartitionOffset } from './types';

export type TopicConfig = Record<string, string | number>;

export interface TopicDescription {
  name: string;
  config: TopicConfig;
  partitions: { partition: number; logStartOffset: number; highWatermark: number; leaderEpoch: number }[];
}

export interface ITopicConfig {
  topic: string;
  /** Default 1. */
  numPartitions?: number;
  /** kafkajs's shape: `[{ name: 'retention.ms', value: '86400000' }]`. */
  configEntries?: { name: string; value: string }[];
  /** Streambed's shape, merged over configEntries: `{ 'retention.ms': 86400000 }`. */
  config?: TopicConfig;
}

export interface PartitionOffsets {
  partition: number;
  /** The high watermark (kafkajs's `offset`): the next offset to be written. */
  offset: number;
  high: number;
  /** The log start offset. */
  low: number;
}

export interface GroupOverview {
  groupId: string;
  generation: number;
  /** How many live members the group has. */
  members: number;
}

export interface GroupPartitionOffset {
  partition: number;
  /** The committed offset (the next to read), or null without a commit. */
  offset: number | null;
  metadata: string | null;
  highWatermark: number;
  lag: number;
}

/** One groupless fetch (GET …/records): read a partition by offset without a consumer group. */
export interface PartitionRecords {
  messages: KafkaMessage[];
  /** Where to read on. */
  nextOffset: number;
  highWatermark: number;
  logStartOffset: number;
}

interface GroupsBody {
  groups: { group: string; generation: number; members: number }[];
}

interface GroupOffsetsBody {
  offsets: { topic: string; partition: number; offset: number | null; metadata?: string | null; highWatermark: number; lag: number }[];
}

export class Admin {
  constructor(
    private readonly transport: Transport,
    private readonly retryOptions: RetryOptions,
  ) {}

  /** For kafkajs familiarity: there is no connection. */
  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}

  private call<T>(method: string, path: string, options: { query?: Record<string, string | number | undefined>; body?: unknown } = {}): Promise<T> {
    return retry(() => this.transport.request<T>(method, path, options), this.retryOptions).then((r) => r.body);
  }

  /** Creates one topic; rejects with TOPIC_ALREADY_EXISTS if it exists. */
  async createTopic(topic: ITopicConfig): Promise<{ name: string; partitions: number; config: TopicConfig }> {
    const config: TopicConfig = {};
    for (const e of topic.configEntries ?? []) config[e.name] = e.value;
    Object.assign(config, topic.config ?? {});
    return this.call('POST', '/v1/topics', {
      body: { name: topic.topic, partitions: topic.numPartitions ?? 1, ...(Object.keys(config).length > 0 ? { config } : {}) },
    });
  }

  /** kafkajs: true when every topic was created, false when any already existed (the others are created). */
  async createTopics({ topics }: { topics: ITopicConfig[] }): Promise<boolean> {
    let allCreated = true;
    for (const t of topics) {
      try {
        await this.createTopic(t);
      } catch (err) {
        if (err instanceof StreambedClientError && err.code === 'TOPIC_ALREADY_EXISTS') allCreated = false;
        else throw err;
      }
    }
    return allCreated;
  }

  /** Topic names (kafkajs's shape). */
  async listTopics(): Promise<string[]> {
    const body = await this.call<{ topics: { name: string }[] }>('GET', '/v1/topics');
    return body.topics.map((t) => t.name);
  }

  async describeTopic(topic: string): Promise<TopicDescription> {
    return this.call('GET', `/v1/topics/${seg(topic)}`);
  }

  /** kafkajs's shape; all topics when none are named. */
  async fetchTopicMetadata({ topics }: { topics?: string[] } = {}): Promise<{ topics: { name: string; partitions: { partitionId: number; partitionErrorCode: 0 }[] }[] }> {
    const names = topics ?? (await this.listTopics());
    const described = await Promise.all(names.map((name) => this.describeTopic(name)));
    return {
      topics: described.map((d) => ({ name: d.name, partitions: d.partitions.map((p) => ({ partitionId: p.partition, partitionErrorCode: 0 as const })) })),
    };
  }

  /** Deletes topics; an unknown topic rejects with UNKNOWN_TOPIC_OR_PARTITION. */
  async deleteTopics({ topics }: { topics: string[] }): Promise<void> {
    for (const t of topics) await this.call('DELETE', `/v1/topics/${seg(t)}`);
  }

  /** Per partition: high watermark (`offset`, `high`) and log start offset (`low`). */
  async fetchTopicOffsets(topic: string): Promise<PartitionOffsets[]> {
    const d = await this.describeTopic(topic);
    return d.partitions.map((p) => ({ partition: p.partition, offset: p.highWatermark, high: p.highWatermark, low: p.logStartOffset }));
  }

  /** Per partition, the earliest offset whose timestamp is ≥ `timestamp` (the high watermark if none); latest without a timestamp. */
  async fetchTopicOffsetsByTimestamp(topic: string, timestamp?: number): Promise<{ partition: number; offset: number }[]> {
    const d = await this.describeTopic(topic);
    return Promise.all(d.partitions.map(async (p) => ({ partition: p.partition, offset: await this.listOffset(topic, p.partition, timestamp ?? 'latest') })));
  }

  /** One partition's offset at `earliest`, `latest` or a timestamp (GET …/offsets?at=). */
  async listOffset(topic: string, partition: number, at: 'earliest' | 'latest' | number): Promise<number> {
    const body = await this.call<{ offset: number }>('GET', `/v1/topics/${seg(topic)}/partitions/${seg(partition)}/offsets`, { query: { at } });
    return body.offset;
  }

  /**
   * Reads one partition from `offset` without a consumer group (Kafka's assign-and-fetch; used by
   * the CLI's `consume --partition`). `waitMs` long-polls at the high watermark (max 20000).
   */
  async fetchRecords(
    topic: string,
    partition: number,
    { offset, maxRecords, maxBytes, waitMs = 0, signal }: { offset: number; maxRecords?: number; maxBytes?: number; waitMs?: number; signal?: AbortSignal },
  ): Promise<PartitionRecords> {
    const res = await retry(
      () =>
        this.transport.request<FetchBody & { logStartOffset: number }>('GET', `/v1/topics/${seg(topic)}/partitions/${seg(partition)}/records`, {
          query: { offset, maxRecords, maxBytes, waitMs, encoding: 'base64' },
          signal,
          timeoutMs: waitMs + 30_000,
        }),
      this.retryOptions,
      { signal },
    );
    const b = res.body;
    return { messages: b.records.map(decodeRecord), nextOffset: b.nextOffset, highWatermark: b.highWatermark, logStartOffset: b.logStartOffset };
  }

  /** Every group with members or committed offsets (trigger groups included). */
  async listGroups(): Promise<{ groups: GroupOverview[] }> {
    const body = await this.call<GroupsBody>('GET', '/v1/groups');
    return { groups: body.groups.map((g) => ({ groupId: g.group, generation: g.generation, members: g.members })) };
  }

  /** The named groups as listGroups reports them (a group the server does not know is left out). */
  async describeGroups(groupIds: string[]): Promise<{ groups: GroupOverview[] }> {
    const { groups } = await this.listGroups();
    return { groups: groups.filter((g) => groupIds.includes(g.groupId)) };
  }

  /** kafkajs's shape: committed offsets per topic and partition (null offset = no commit), with lag. */
  async fetchOffsets({ groupId, topics }: { groupId: string; topics: string[] }): Promise<{ topic: string; partitions: GroupPartitionOffset[] }[]> {
    return Promise.all(topics.map(async (topic) => ({ topic, partitions: await this.groupLag(groupId, topic) })));
  }

  /** Committed offset, high watermark and lag of every partition of `topic` for the group. */
  async groupLag(groupId: string, topic: string): Promise<GroupPartitionOffset[]> {
    const body = await this.call<GroupOffsetsBody>('GET', `/v1/groups/${seg(groupId)}/offsets`, { query: { topic } });
    return body.offsets.map((o) => ({ partition: o.partition, offset: o.offset, metadata: o.metadata ?? null, highWatermark: o.highWatermark, lag: o.lag }));
  }

  /** Commits offsets for a group without membership (kafkajs's setOffsets; the group should have no live members). */
  async setOffsets({ groupId, topic, partitions }: { groupId: string; topic: string; partitions: { partition: number; offset: number | string }[] }): Promise<void> {
    const offsets: TopicPartitionOffset[] = partitions.map((p) => ({ topic, partition: p.partition, offset: Number(p.offset) }));
    await this.call('POST', `/v1/groups/${seg(groupId)}/offsets`, { body: { offsets } });
  }
}
