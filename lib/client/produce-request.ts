/**
 * One produce call's body (API.md "Produce"): the records of one topic, every record naming its
 * partition (the client partitions itself), `utf8` encoding when every key, value and header
 * value is a string and `base64` otherwise, and for the idempotent producer the `producer` block
 * with each partition's first sequence number.
 */
import { byteLength, toBase64, utf8Bytes, type BytesLike } from './bytes';
import type { Message, MessageHeaders, RecordMetadata } from './types';

/** A message waiting in the accumulator or in flight, with the promise of its `send()`. */
export interface PendingRecord {
  readonly topic: string;
  readonly partition: number;
  readonly message: Message;
  /** Estimated bytes on the wire (JSON), for batch and request sizes. */
  readonly bytes: number;
  readonly resolve: (meta: RecordMetadata) => void;
  readonly reject: (err: unknown) => void;
}

export interface ProducerIdentity {
  readonly id: string;
  readonly epoch: number;
  /** partition → first sequence of this request's records for that partition. */
  readonly sequences: Record<string, number>;
}

/** Fixed JSON cost of one record (field names, quotes, partition, timestamp). */
const RECORD_OVERHEAD = 64;

/** The estimated JSON size of a message (base64 growth included, as the worst case of the two encodings). */
export function estimateBytes(message: Message): number {
  let n = RECORD_OVERHEAD + byteLength(message.key) + byteLength(message.value);
  for (const [k, v] of Object.entries(message.headers ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) n += 24 + byteLength(k) + byteLength(one ?? null);
  }
  return Math.ceil(n * 1.34);
}

export function headerList(headers: MessageHeaders | undefined): { key: string; value: BytesLike | null }[] {
  const list: { key: string; value: BytesLike | null }[] = [];
  for (const [key, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) list.push({ key, value: one });
  }
  return list;
}

function isText(v: BytesLike | null | undefined): boolean {
  return v === null || v === undefined || typeof v === 'string';
}

/** Serializes the request once: a retry must send exactly these bytes (the idempotent producer relies on it). */
export function produceBody(records: readonly PendingRecord[], options: { acks: 'all' | 'none'; producer?: ProducerIdentity }): string {
  const utf8 = records.every((r) => isText(r.message.key) && isText(r.message.value) && headerList(r.message.headers).every((h) => isText(h.value)));
  const enc = (v: BytesLike | null | undefined): string | null | undefined => {
    if (v === null || v === undefined) return v;
    if (utf8) return v as string;
    return toBase64(typeof v === 'string' ? utf8Bytes(v) : v);
  };
  const body = {
    records: records.map((r) => {
      const m = r.message;
      const headers = headerList(m.headers);
      return {
        ...(m.key !== undefined && m.key !== null ? { key: enc(m.key) } : {}),
        value: enc(m.value) ?? null,
        ...(headers.length > 0 ? { headers: headers.map((h) => ({ key: h.key, value: enc(h.value) ?? null })) } : {}),
        partition: r.partition,
        ...(m.timestamp !== undefined ? { timestamp: Number(m.timestamp) } : {}),
      };
    }),
    encoding: utf8 ? 'utf8' : 'base64',
    ...(options.acks === 'none' ? { acks: 'none' } : {}),
    ...(options.producer ? { producer: options.producer } : {}),
  };
  return JSON.stringify(body);
}
