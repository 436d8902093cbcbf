/**
 * The on-failure destination of a trigger: each record given up on is appended to
 * `onFailureTopic` with its original key, value, headers and timestamp, plus headers saying why.
 * A keyed record goes to its key's partition (Kafka's default partitioner), a key-less one to the
 * source partition modulo the failure topic's partition count, so the order of one key's
 * failures is kept.
 */
import { appendRecords } from '../log';
import { defaultPartition, type DecodedRecord, type RecordInput } from '../protocol';
import type { Storage, TopicItem } from '../storage';

/** Header names added to a dead-lettered record. */
export const FAILURE_HEADERS = {
  trigger: 'streambed.trigger',
  error: 'streambed.error',
  attempts: 'streambed.attempts',
  topic: 'streambed.source.topic',
  partition: 'streambed.source.partition',
  offset: 'streambed.source.offset',
} as const;

const MAX_ERROR_BYTES = 1024;

export async function deadLetter(
  storage: Storage,
  failureTopic: TopicItem,
  trigger: string,
  source: { readonly topic: string; readonly partition: number },
  records: readonly DecodedRecord[],
  error: string,
  attempts: number,
): Promise<void> {
  const byPartition = new Map<number, RecordInput[]>();
  for (const r of records) {
    const p = r.key === null ? source.partition % failureTopic.partitions : defaultPartition(r.key, failureTopic.partitions);
    const text = (s: string): Buffer => Buffer.from(s, 'utf8');
    const record: RecordInput = {
      key: r.key,
      value: r.value,
      timestamp: r.timestamp,
      headers: [
        ...r.headers,
        { key: FAILURE_HEADERS.trigger, value: text(trigger) },
        { key: FAILURE_HEADERS.error, value: text(error).subarray(0, MAX_ERROR_BYTES) },
        { key: FAILURE_HEADERS.attempts, value: text(String(attempts)) },
        { key: FAILURE_HEADERS.topic, value: text(source.topic) },
        { key: FAILURE_HEADERS.partition, value: text(String(source.partition)) },
        { key: FAILURE_HEADERS.offset, value: text(String(r.offset)) },
      ],
    };
    const list = byPartition.get(p) ?? [];
    list.push(record);
    byPartition.set(p, list);
  }
  for (const [partition, list] of byPartition) await appendRecords(storage, failureTopic, partition, list);
}
