/**
 * The event a trigger delivers: AWS Lambda's self-managed Kafka event source mapping shape
 * (API.md, "Event-source triggers"), so handlers and parsers written for it (Powertools' Kafka
 * schemas) work unchanged; and the reading of a handler's partial batch response.
 */
import type { DecodedRecord } from '../protocol';

export interface KafkaEventRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly timestampType: 'CREATE_TIME';
  /** Base64; absent when the record's key is null. */
  readonly key?: string;
  /** Base64; absent when the record's value is null (a tombstone). */
  readonly value?: string;
  /** One object per header, `{name: [byte values]}`, in record order (a null value is `[]`). */
  readonly headers: Array<Record<string, number[]>>;
}

export interface SelfManagedKafkaEvent {
  readonly eventSource: 'SelfManagedKafka';
  readonly bootstrapServers: string;
  /** Keyed `"<topic>-<partition>"`; a trigger's event carries one partition. */
  readonly records: Record<string, KafkaEventRecord[]>;
}

export function toEventRecord(topic: string, partition: number, r: DecodedRecord): KafkaEventRecord {
  return {
    topic,
    partition,
    offset: r.offset,
    timestamp: r.timestamp,
    timestampType: 'CREATE_TIME',
    ...(r.key === null ? {} : { key: r.key.toString('base64') }),
    ...(r.value === null ? {} : { value: r.value.toString('base64') }),
    headers: r.headers.map((h) => ({ [h.key]: h.value === null ? [] : [...h.value] })),
  };
}

export function buildEvent(bootstrapServers: string, topic: string, partition: number, records: readonly DecodedRecord[]): SelfManagedKafkaEvent {
  return {
    eventSource: 'SelfManagedKafka',
    bootstrapServers,
    records: { [`${topic}-${partition}`]: records.map((r) => toEventRecord(topic, partition, r)) },
  };
}

/**
 * What a successful invocation's response says, with `reportBatchItemFailures`: `all` (no
 * failures reported), or the lowest reported offset inside the batch. A response that names an
 * item that is not an offset of the batch counts as a failure of the whole batch, as Lambda's ESM
 * treats an invalid response.
 */
export type BatchOutcome = { readonly kind: 'all' } | { readonly kind: 'partial'; readonly from: number } | { readonly kind: 'invalid'; readonly why: string };

export function readBatchResponse(response: unknown, offsets: readonly number[]): BatchOutcome {
  if (response === null || typeof response !== 'object' || !('batchItemFailures' in response)) return { kind: 'all' };
  const failures = (response as { batchItemFailures: unknown }).batchItemFailures;
  if (failures === null || failures === undefined) return { kind: 'all' };
  if (!Array.isArray(failures)) return { kind: 'invalid', why: 'batchItemFailures is not an array' };
  if (failures.length === 0) return { kind: 'all' };
  const inBatch = new Set(offsets);
  let lowest = Infinity;
  for (const f of failures) {
    const id = (f as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const offset = typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : typeof id === 'number' ? id : NaN;
    if (!inBatch.has(offset)) return { kind: 'invalid', why: `batchItemFailures names ${JSON.stringify(id)}, not an offset of the batch` };
    lowest = Math.min(lowest, offset);
  }
  return { kind: 'partial', from: lowest };
}
