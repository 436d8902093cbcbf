/**
 * The request and response shapes of Upstash's Kafka REST API (upstash/docs kafka/rest/*), parsed
 * with zod. Several endpoints take "one object or an array of them"; `oneOrMany` accepts both.
 * Offsets and partitions are non-negative integers; timestamps are epoch milliseconds.
 */
import { z } from 'zod';
import { StreambedError } from '../../errors';
import type { DecodedRecord } from '../../protocol';
import type { ApiRequest } from '../http';
import { jsonBody, parseWith } from '../validation';

const partition = z.number({ error: 'partition must be a non-negative integer' }).int('partition must be a non-negative integer').min(0, 'partition must be a non-negative integer');
const offset = z.number({ error: 'offset must be a non-negative integer' }).int('offset must be a non-negative integer').min(0, 'offset must be a non-negative integer').max(Number.MAX_SAFE_INTEGER);
const topic = z.string({ error: 'topic is required and must be a string' });

export const topicPartitionSchema = z.object({ topic, partition });
export const topicPartitionOffsetSchema = z.object({ topic, partition, offset });
export type TopicPartition = z.infer<typeof topicPartitionSchema>;
export type TopicPartitionOffset = z.infer<typeof topicPartitionOffsetSchema>;

export const headerSchema = z.object({
  key: z.string({ error: 'header key must be a string' }),
  value: z.string({ error: 'header value must be a string' }).nullable(),
});

/** One message of a produce request; `topic` comes from the path in the `/produce/{topic}` form. */
export const produceMessageSchema = z.object({
  topic: topic.optional(),
  // Upstash documents a string; anything else JSON (the client stringifies objects) is stored as its JSON text.
  value: z.unknown(),
  key: z.string({ error: 'key must be a string' }).nullable().optional(),
  partition: partition.optional(),
  timestamp: z.number({ error: 'timestamp must be epoch milliseconds' }).int('timestamp must be an integer (epoch ms)').min(0, 'timestamp must be ≥ 0').max(Number.MAX_SAFE_INTEGER).optional(),
  headers: z.array(headerSchema, { error: 'headers must be an array of {key, value}' }).optional(),
});
export type ProduceMessage = z.infer<typeof produceMessageSchema>;

const timeout = z.number({ error: 'timeout must be milliseconds' }).int('timeout must be an integer (ms)').min(0, 'timeout must be ≥ 0').optional();

export const fetchRequestSchema = z.object({
  topic: topic.optional(),
  partition: partition.optional(),
  offset: offset.optional(),
  topicPartitionOffsets: z.array(topicPartitionOffsetSchema, { error: 'topicPartitionOffsets must be an array of {topic, partition, offset}' }).optional(),
  timeout,
});

export const consumeRequestSchema = z.object({
  topic: topic.optional(),
  topics: z.array(z.string({ error: 'topics must be strings' }), { error: 'topics must be an array of topic names' }).optional(),
  timeout,
});

/** The body as JSON, or undefined when there is none (an empty body is allowed where Upstash allows it). */
export function optionalJsonBody(request: ApiRequest): unknown {
  return request.body.length === 0 ? undefined : jsonBody(request);
}

/** A body that is one `schema` object or an array of them. */
export function oneOrMany<T>(schema: z.ZodType<T>, value: unknown): T[] {
  if (Array.isArray(value)) return value.map((v, i) => withIndex(i, () => parseWith(schema, v)));
  return [parseWith(schema, value)];
}

function withIndex<T>(i: number, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof StreambedError) throw new StreambedError(err.code, `[${i}] ${err.message}`);
    throw err;
  }
}

/** Upstash's Message: key and value as UTF-8 strings ("" for none), headers as strings. */
export interface UpstashMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: string;
  readonly value: string;
  readonly headers: { key: string; value: string }[];
}

export function toMessage(topicName: string, partitionNo: number, r: DecodedRecord): UpstashMessage {
  return {
    topic: topicName,
    partition: partitionNo,
    offset: r.offset,
    timestamp: r.timestamp,
    key: r.key?.toString('utf8') ?? '',
    value: r.value?.toString('utf8') ?? '',
    headers: r.headers.map((h) => ({ key: h.key, value: h.value?.toString('utf8') ?? '' })),
  };
}

/** `topic#partition`, the key of a position. */
export function tpKey(t: string, p: number): string {
  return `${t}#${p}`;
}

export function parseTpKey(key: string): TopicPartition {
  const at = key.lastIndexOf('#');
  return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) };
}
