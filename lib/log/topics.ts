/** Topic administration: names, configs, creation, description and deletion of topic data. */
import { randomUUID } from 'node:crypto';
import { StreambedError } from '../errors';
import { COMPRESSION_TYPES } from '../protocol';
import type { Storage, TopicConfig, TopicItem } from '../storage';
import { topicPrefix } from '../storage/schema';

export const MAX_PARTITIONS = 1024;

export const DEFAULT_TOPIC_CONFIG: TopicConfig = {
  'retention.ms': 604_800_000,
  'retention.bytes': -1,
  'max.message.bytes': 1_048_576,
  'compression.type': 'none',
};

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export function validateTopicName(name: string): void {
  if (!TOPIC_NAME.test(name) || name === '.' || name === '..') {
    throw new StreambedError(
      'INVALID_TOPIC',
      `topic name "${name.slice(0, 300)}" is invalid: use 1 to 249 characters of [a-zA-Z0-9._-], and not "." or ".."`,
    );
  }
}

export function validatePartitionCount(partitions: number): void {
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS) {
    throw new StreambedError('INVALID_PARTITIONS', `partitions must be an integer from 1 to ${MAX_PARTITIONS}, got ${partitions}`);
  }
}

function integerConfig(key: string, raw: unknown, min: number, allowMinusOne: boolean): number {
  const n = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || (n < min && !(allowMinusOne && n === -1))) {
    const range = allowMinusOne ? `-1 or an integer ≥ ${min}` : `an integer ≥ ${min}`;
    throw new StreambedError('INVALID_CONFIG', `config "${key}" must be ${range}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** The full config of a new topic: defaults overlaid with `input`; unknown keys and bad values are refused. */
export function resolveTopicConfig(input: Record<string, unknown> | undefined): TopicConfig {
  const config: TopicConfig = { ...DEFAULT_TOPIC_CONFIG };
  for (const [key, raw] of Object.entries(input ?? {})) {
    switch (key) {
      // Ranges as Kafka's own validators: retention.* at least -1 (-1 = no limit), sizes ≥ 0.
      case 'retention.ms':
      case 'retention.bytes':
        config[key] = integerConfig(key, raw, 0, true);
        break;
      case 'max.message.bytes':
        config[key] = integerConfig(key, raw, 0, false);
        break;
      case 'compression.type':
        if (typeof raw !== 'string' || !(COMPRESSION_TYPES as readonly string[]).includes(raw)) {
          throw new StreambedError('INVALID_CONFIG', `config "compression.type" must be one of ${COMPRESSION_TYPES.join(', ')}, got ${JSON.stringify(raw)}`);
        }
        config[key] = raw as TopicConfig['compression.type'];
        break;
      default:
        throw new StreambedError(
          'INVALID_CONFIG',
          `unknown config key "${key}"; known keys: ${Object.keys(DEFAULT_TOPIC_CONFIG).join(', ')}`,
        );
    }
  }
  return config;
}

export async function createTopic(
  storage: Storage,
  input: { name: string; partitions: number; config?: Record<string, unknown> },
): Promise<TopicItem> {
  validateTopicName(input.name);
  validatePartitionCount(input.partitions);
  const item: TopicItem = {
    name: input.name,
    topicId: randomUUID(),
    partitions: input.partitions,
    config: resolveTopicConfig(input.config),
    createdAt: Date.now(),
  };
  await storage.topics.create(item);
  return item;
}

/** The topic, or 404 UNKNOWN_TOPIC_OR_PARTITION. With `partition`, also checks that it exists. */
export async function requireTopic(storage: Storage, name: string, partition?: number): Promise<TopicItem> {
  validateTopicName(name);
  const topic = await storage.topics.get(name);
  if (!topic) throw new StreambedError('UNKNOWN_TOPIC_OR_PARTITION', `topic "${name}" does not exist; create it with POST /v1/topics`);
  if (partition !== undefined) requirePartition(topic, partition);
  return topic;
}

export function requirePartition(topic: TopicItem, partition: number): void {
  if (partition >= topic.partitions) {
    throw new StreambedError(
      'UNKNOWN_TOPIC_OR_PARTITION',
      `topic "${topic.name}" has partitions 0 to ${topic.partitions - 1}; partition ${partition} does not exist`,
    );
  }
}

export interface PartitionInfo {
  partition: number;
  logStartOffset: number;
  highWatermark: number;
  leaderEpoch: number;
}

export async function describePartitions(storage: Storage, topic: TopicItem): Promise<PartitionInfo[]> {
  const ids = Array.from({ length: topic.partitions }, (_, p) => p);
  const leaders = await storage.leaders.getMany(topic.topicId, ids);
  return ids.map((partition) => {
    const l = leaders.get(partition);
    return { partition, logStartOffset: l?.logStartOffset ?? 0, highWatermark: l?.logEndOffset ?? 0, leaderEpoch: l?.leaderEpoch ?? 0 };
  });
}

/**
 * Deletes a topic: the topic item goes first (one conditional delete: from then on the topic does
 * not exist), then its leader records, index entries and segment objects. If the clean-up is cut
 * short, what is left belongs to a topic id nothing refers to any more.
 */
export async function deleteTopic(storage: Storage, name: string): Promise<void> {
  const topic = await requireTopic(storage, name);
  if (!(await storage.topics.delete(name, topic.topicId))) {
    throw new StreambedError('UNKNOWN_TOPIC_OR_PARTITION', `topic "${name}" does not exist`);
  }
  await storage.leaders.deleteTopic(topic.topicId);
  // Up to 8 partitions' index entries at a time: a 1024-partition topic is not 1024 round trips in a row.
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < topic.partitions) await storage.index.deletePartition(topic.topicId, next++);
  };
  await Promise.all(Array.from({ length: Math.min(8, topic.partitions) }, worker));
  await storage.segments.deletePrefix(topicPrefix(topic.topicId));
}
