/**
 * Upstash's Producer API: `POST /produce` (messages naming their topic), `POST /produce/{topic}`
 * (messages of one topic) and `GET|POST /produce/{topic}/{message}` (one message in the path, its
 * key in `?key=`). One message or an array; the answer lists `{topic, partition, offset,
 * timestamp}` in request order (an array, except for the path form, which answers one object).
 *
 * Placement is the /v1 produce path's: an explicit partition, else Kafka's default partitioner on
 * the key, else one random partition per topic per request (sticky). Every message is checked
 * (topics exist, partitions exist, sizes) before anything is written; then each (topic, partition)
 * is appended as one segment, all in parallel, with acks=all as Upstash documents.
 */
import { randomInt } from 'node:crypto';
import { StreambedError } from '../../errors';
import { appendRecords, requirePartition, requireTopic } from '../../log';
import { requestMetrics } from '../../observability';
import { defaultPartition, type RecordInput } from '../../protocol';
import type { Storage, TopicItem } from '../../storage';
import type { ApiRequest, ApiResponse } from '../http';
import { jsonBody } from '../validation';
import { oneOrMany, produceMessageSchema, type ProduceMessage } from './shapes';

export interface ProduceMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
}

/** POST /produce and POST /produce/{topic}: one message or an array → an array of metadata. */
export async function upstashProduceOp(storage: Storage, request: ApiRequest): Promise<ApiResponse> {
  const pathTopic = request.pathParameters.topic;
  const messages = oneOrMany(produceMessageSchema, jsonBody(request));
  if (messages.length === 0) throw new StreambedError('INVALID_REQUEST', 'send at least one message');
  return { status: 200, body: await produceMessages(storage, messages, pathTopic) };
}

/** GET|POST /produce/{topic}/{message}?key=…: one message from the path → one metadata object. */
export async function upstashProducePathOp(storage: Storage, request: ApiRequest): Promise<ApiResponse> {
  const message: ProduceMessage = { value: request.pathParameters.message ?? '', key: request.query.key };
  const [metadata] = await produceMessages(storage, [message], request.pathParameters.topic);
  return { status: 200, body: metadata };
}

interface Placed {
  readonly topic: TopicItem;
  readonly partition: number;
  readonly record: RecordInput;
}

async function produceMessages(storage: Storage, messages: readonly ProduceMessage[], pathTopic: string | undefined): Promise<ProduceMetadata[]> {
  const names = messages.map((m, i) => {
    const name = pathTopic ?? m.topic;
    if (name === undefined) throw new StreambedError('INVALID_REQUEST', `[${i}] topic is required: name it in the message or in the path (/produce/{topic})`);
    return name;
  });
  const topics = new Map<string, TopicItem>();
  for (const name of new Set(names)) topics.set(name, await requireTopic(storage, name));
  const sticky = new Map<string, number>();
  const now = Date.now();

  const placed: Placed[] = messages.map((m, i) => {
    const topic = topics.get(names[i])!;
    const key = m.key == null ? null : Buffer.from(m.key, 'utf8');
    const value = valueBytes(m.value);
    const headers = (m.headers ?? []).map((h) => ({ key: h.key, value: h.value === null ? null : Buffer.from(h.value, 'utf8') }));
    const size = (key?.length ?? 0) + (value?.length ?? 0) + headers.reduce((n, h) => n + Buffer.byteLength(h.key) + (h.value?.length ?? 0), 0);
    const limit = topic.config['max.message.bytes'];
    if (size > limit) throw new StreambedError('RECORD_TOO_LARGE', `[${i}] is ${size} bytes, over topic "${topic.name}"'s max.message.bytes ${limit}`);
    let partition: number;
    if (m.partition !== undefined) {
      requirePartition(topic, m.partition);
      partition = m.partition;
    } else if (key !== null) {
      partition = defaultPartition(key, topic.partitions);
    } else {
      if (!sticky.has(topic.name)) sticky.set(topic.name, randomInt(topic.partitions));
      partition = sticky.get(topic.name)!;
    }
    return { topic, partition, record: { key, value, headers, timestamp: m.timestamp ?? now } };
  });

  const groups = new Map<string, number[]>();
  placed.forEach((p, i) => {
    const k = `${p.topic.name}#${p.partition}`;
    const list = groups.get(k);
    if (list) list.push(i);
    else groups.set(k, [i]);
  });
  const offsets = new Array<number>(placed.length);
  const metrics = requestMetrics();
  await Promise.all(
    [...groups.values()].map(async (indexes) => {
      const { topic, partition } = placed[indexes[0]];
      const result = await appendRecords(storage, topic, partition, indexes.map((i) => placed[i].record), {
        onCommitConflict: () => metrics.add('CommitConflicts', 1),
      });
      indexes.forEach((i, k) => {
        offsets[i] = result.baseOffset + k;
      });
    }),
  );
  metrics.add('RecordsIn', placed.length);
  return placed.map((p, i) => ({ topic: p.topic.name, partition: p.partition, offset: offsets[i], timestamp: p.record.timestamp }));
}

/** A string as UTF-8; null as a null value; any other JSON value as its JSON text. */
function valueBytes(value: unknown): Buffer | null {
  if (value === null) return null;
  if (value === undefined) throw new StreambedError('INVALID_REQUEST', 'value is required');
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');
}
