/**
 * The producer's record accumulator (Kafka's `RecordAccumulator`): messages wait per partition
 * until a batch is due — it reached `batchBytes`, its oldest message waited `lingerMs`, or a flush
 * asked — and then every waiting batch of that topic goes out in one produce call.
 *
 * A partition with a call in flight is muted: its new messages keep accumulating and go out after
 * that call settles. So at most one call per partition is ever in flight, and a retried call can
 * never be overtaken — per-partition order holds with retries, and idempotent sequences stay
 * contiguous.
 */
import type { PendingRecord } from './produce-request';

interface PartitionBatch {
  readonly topic: string;
  readonly partition: number;
  records: PendingRecord[];
  bytes: number;
  createdAt: number;
}

export interface AccumulatorOptions {
  readonly lingerMs: number;
  readonly batchBytes: number;
}

export interface TakenRequest {
  readonly topic: string;
  /** Grouped by partition, each partition's records in send order. */
  readonly records: PendingRecord[];
  readonly partitions: number[];
}

const keyOf = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

export class RecordAccumulator {
  private readonly batches = new Map<string, PartitionBatch>();
  private readonly muted = new Set<string>();

  constructor(private readonly options: AccumulatorOptions) {}

  /** Adds a record; true when its batch is now full (due at once). */
  append(record: PendingRecord, now: number): boolean {
    const key = keyOf(record.topic, record.partition);
    let batch = this.batches.get(key);
    if (!batch) {
      batch = { topic: record.topic, partition: record.partition, records: [], bytes: 0, createdAt: now };
      this.batches.set(key, batch);
    }
    batch.records.push(record);
    batch.bytes += record.bytes;
    return batch.bytes >= this.options.batchBytes;
  }

  /** Records waiting (not yet taken for a call). */
  size(): number {
    let n = 0;
    for (const b of this.batches.values()) n += b.records.length;
    return n;
  }

  private isDue(b: PartitionBatch, now: number, force: boolean): boolean {
    return force || b.bytes >= this.options.batchBytes || now - b.createdAt >= this.options.lingerMs;
  }

  /** When the earliest unmuted batch is (or was) due by linger, for the timer; ≤ now means at once. */
  nextDueAt(): number | undefined {
    let at: number | undefined;
    for (const [key, b] of this.batches) {
      if (this.muted.has(key)) continue;
      const due = b.createdAt + this.options.lingerMs;
      if (at === undefined || due < at) at = due;
    }
    return at;
  }

  /**
   * Takes one call's worth: the topic of the oldest due, unmuted batch, with every unmuted batch of
   * that topic (due or not: they ride along for free), up to about `maxBytes` (at least one record;
   * a partition's remainder stays, still due). The partitions taken are muted until `release`.
   */
  take(now: number, force: boolean, maxBytes: number): TakenRequest | undefined {
    let first: PartitionBatch | undefined;
    for (const [key, b] of this.batches) {
      if (this.muted.has(key) || !this.isDue(b, now, force)) continue;
      if (!first || b.createdAt < first.createdAt) first = b;
    }
    if (!first) return undefined;
    const topic = first.topic;
    const candidates = [...this.batches.entries()]
      .filter(([key, b]) => b.topic === topic && !this.muted.has(key))
      .sort(([, a], [, b]) => (a === first ? -1 : b === first ? 1 : a.createdAt - b.createdAt));

    const records: PendingRecord[] = [];
    const partitions: number[] = [];
    let budget = maxBytes;
    for (const [key, b] of candidates) {
      if (budget <= 0) break;
      let n = 0;
      let bytes = 0;
      while (n < b.records.length && (records.length + n === 0 || bytes + b.records[n].bytes <= budget)) {
        bytes += b.records[n].bytes;
        n++;
      }
      if (n === 0) break;
      records.push(...b.records.slice(0, n));
      partitions.push(b.partition);
      budget -= bytes;
      this.muted.add(key);
      if (n === b.records.length) this.batches.delete(key);
      else {
        b.records = b.records.slice(n);
        b.bytes -= bytes;
      }
    }
    partitions.sort((a, b) => a - b);
    return { topic, records, partitions };
  }

  /**
   * Puts records back at the front of their partitions' batches (a call that turned out too large
   * to send whole), in order. Their partitions stay muted until `release`.
   */
  putBack(records: readonly PendingRecord[], now: number): void {
    for (let i = records.length - 1; i >= 0; i--) {
      const r = records[i];
      const key = keyOf(r.topic, r.partition);
      let batch = this.batches.get(key);
      if (!batch) {
        batch = { topic: r.topic, partition: r.partition, records: [], bytes: 0, createdAt: now - this.options.lingerMs };
        this.batches.set(key, batch);
      }
      batch.records.unshift(r);
      batch.bytes += r.bytes;
      batch.createdAt = Math.min(batch.createdAt, now - this.options.lingerMs); // they were due already
    }
  }

  /** Unmutes the partitions of a settled call. */
  release(topic: string, partitions: readonly number[]): void {
    for (const p of partitions) this.muted.delete(keyOf(topic, p));
  }

  /** Whether `topic`/`partition` has a call in flight. */
  isMuted(topic: string, partition: number): boolean {
    return this.muted.has(keyOf(topic, partition));
  }

  /** Removes and returns every waiting record (the producer is closing with an error). */
  drainAll(): PendingRecord[] {
    const all: PendingRecord[] = [];
    for (const b of this.batches.values()) all.push(...b.records);
    this.batches.clear();
    return all;
  }
}
