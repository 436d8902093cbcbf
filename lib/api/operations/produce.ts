/** POST /v1/topics/{topic}/records */
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { StreambedError } from '../../errors';
import { appendRecords, requirePartition, requireTopic } from '../../log';
import { requestMetrics, telemetry, type RequestMetrics } from '../../observability';
import { checkProducer } from '../../log/idempotence';
import { defaultPartition, type RecordInput } from '../../protocol';
import type { Storage, TopicItem } from '../../storage';
import { runInBackground } from '../background';
import { decodeField, decodeNullable } from '../encoding';
import type { ApiRequest, ApiResponse } from '../http';
import { encodingSchema, jsonBody, parseWith, pathTopic } from '../validation';

const headerSchema = z.object({
  key: z.string({ error: 'header key must be a string' }),
  value: z.string({ error: 'header value must be a string or null' }).nullable(),
});

const recordSchema = z.object({
  key: z.string({ error: 'key must be a string or null' }).nullable().optional(),
  value: z.string({ error: 'value is required: a string, or null' }).nullable(),
  headers: z.array(headerSchema, { error: 'headers must be an array of {key, value}' }).optional(),
  partition: z.number({ error: 'partition must be a non-negative integer' }).int('partition must be a non-negative integer').min(0, 'partition must be a non-negative integer').optional(),
  timestamp: z.number({ error: 'timestamp must be epoch milliseconds' }).int('timestamp must be an integer (epoch ms)').min(0, 'timestamp must be ≥ 0').max(Number.MAX_SAFE_INTEGER).optional(),
});

const producerSchema = z.object(
  {
    id: z.string({ error: 'producer.id must be a string' }).min(1, 'producer.id must not be empty').max(256, 'producer.id is at most 256 characters'),
    epoch: z.number({ error: 'producer.epoch must be an integer' }).int('producer.epoch must be an integer').min(0, 'producer.epoch must be ≥ 0').max(2 ** 31 - 1),
    sequences: z.record(
      z.string().regex(/^\d+$/, 'producer.sequences keys are partition numbers'),
      z.number({ error: 'a sequence must be an integer' }).int('a sequence must be an integer').min(0, 'a sequence must be ≥ 0').max(Number.MAX_SAFE_INTEGER),
      { error: 'producer.sequences must map partition → first sequence' },
    ),
  },
  { error: 'producer must be {"id", "epoch", "sequences"}' },
);

const produceSchema = z.object({
  records: z.array(recordSchema, { error: 'records must be an array of records' }).min(1, 'records must hold at least one record'),
  encoding: encodingSchema.optional(),
  acks: z.enum(['all', 'none'], { error: 'acks must be "all" or "none"' }).optional(),
  producer: producerSchema.optional(),
});

type ProducerInput = z.infer<typeof producerSchema>;

interface Placed {
  readonly partition: number;
  readonly record: RecordInput;
}

export async function produceOp(storage: Storage, request: ApiRequest): Promise<ApiResponse> {
  const body = parseWith(produceSchema, jsonBody(request));
  const metrics = requestMetrics();
  const encoding = body.encoding ?? 'utf8';
  const topic = await requireTopic(storage, pathTopic(request));
  const now = Date.now();
  const limit = topic.config['max.message.bytes'];
  // Records without key or partition all go to one partition per request (Kafka's sticky
  // partitioner): one segment object instead of one per partition, spread across requests.
  let sticky: number | undefined;

  // Everything is decoded and checked before anything is written: a bad record fails the request whole.
  let bytes = 0;
  const placed: Placed[] = body.records.map((r, i) => {
    const key = decodeNullable(r.key, encoding, `records[${i}].key`);
    const value = decodeNullable(r.value, encoding, `records[${i}].value`);
    const headers = (r.headers ?? []).map((h, j) => ({ key: h.key, value: decodeNullable(h.value, encoding, `records[${i}].headers[${j}].value`) }));
    const size = (key?.length ?? 0) + (value?.length ?? 0) + headers.reduce((n, h) => n + Buffer.byteLength(h.key) + (h.value?.length ?? 0), 0);
    if (size > limit) {
      throw new StreambedError('RECORD_TOO_LARGE', `records[${i}] is ${size} bytes, over topic "${topic.name}"'s max.message.bytes ${limit}`);
    }
    bytes += size;
    let partition: number;
    if (body.producer && r.partition === undefined) {
      throw new StreambedError('INVALID_REQUEST', `records[${i}].partition is required: with "producer" every record names its partition`);
    }
    if (r.partition !== undefined) {
      requirePartition(topic, r.partition);
      partition = r.partition;
    } else if (key !== null) {
      partition = defaultPartition(key, topic.partitions);
    } else {
      sticky ??= randomInt(topic.partitions);
      partition = sticky;
    }
    return { partition, record: { key, value, headers, timestamp: r.timestamp ?? now } };
  });

  if (body.producer) checkSequences(body.producer, placed);

  if (body.acks === 'none') {
    runInBackground(
      () => appendAll(storage, topic, placed, body.producer, metrics),
      (err) => telemetry().logger.error('acks=none append failed', { topic: topic.name, error: err instanceof Error ? err : String(err) }),
    );
    countIn(metrics, placed.length, bytes);
    return { status: 202, body: {} };
  }
  const offsets = await appendAll(storage, topic, placed, body.producer, metrics);
  countIn(metrics, placed.length, bytes);
  return {
    status: 200,
    body: { records: placed.map((p, i) => ({ partition: p.partition, offset: offsets[i], timestamp: p.record.timestamp })) },
  };
}

/** Appends each partition's records as one segment, partitions in parallel; offsets in request order. */
function checkSequences(producer: ProducerInput, placed: Placed[]): void {
  for (const p of new Set(placed.map((r) => r.partition))) {
    if (producer.sequences[String(p)] === undefined) {
      throw new StreambedError('INVALID_REQUEST', `producer.sequences has no first sequence for partition ${p}`);
    }
  }
}

/** Records and bytes (keys + values + headers) accepted: the produce side of the traffic metrics. */
function countIn(metrics: RequestMetrics, records: number, bytes: number): void {
  metrics.add('RecordsIn', records);
  metrics.add('BytesIn', bytes);
}

async function appendAll(storage: Storage, topic: TopicItem, placed: Placed[], producer: ProducerInput | undefined, metrics: RequestMetrics): Promise<number[]> {
  const byPartition = new Map<number, number[]>();
  placed.forEach((p, i) => {
    const list = byPartition.get(p.partition);
    if (list) list.push(i);
    else byPartition.set(p.partition, [i]);
  });
  const offsets = new Array<number>(placed.length);
  if (producer && byPartition.size > 1) {
    // Refuse a fenced or out-of-order request before ANY partition is written, so a multi-partition
    // request fails whole. (A race after this check is still caught per partition at commit.)
    await Promise.all(
      [...byPartition].map(async ([partition, indexes]) => {
        const leader = await storage.leaders.ensure(topic.topicId, partition);
        checkProducer(leader, { id: producer.id, epoch: producer.epoch, sequence: producer.sequences[String(partition)] }, indexes.length, Date.now());
      }),
    );
  }
  await Promise.all(
    [...byPartition].map(async ([partition, indexes]) => {
      const idempotent = producer && { id: producer.id, epoch: producer.epoch, sequence: producer.sequences[String(partition)] };
      const result = await appendRecords(storage, topic, partition, indexes.map((i) => placed[i].record), {
        producer: idempotent || undefined,
        onCommitConflict: () => metrics.add('CommitConflicts', 1),
      });
      indexes.forEach((i, k) => {
        offsets[i] = result.baseOffset + k;
      });
    }),
  );
  return offsets;
}
