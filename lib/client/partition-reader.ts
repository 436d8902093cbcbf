/**
 * One assigned partition's read loop: long-poll fetches from `position` (GET …/records with
 * `waitMs`), hand each batch to `deliver`, and move on from what was resolved. It keeps the
 * partition's offsets: `resolved` (the next offset to read once the processed messages are done:
 * the value to commit) and what was last committed.
 *
 * `stop()` ends the loop after the message being processed (a long poll in progress is aborted)
 * and resolves once no handler of this partition runs any more: the consumer calls it before
 * giving a partition up in a rebalance, then commits `resolved`.
 */
import { fromBase64 } from './bytes';
import { StreambedClientError } from './errors';
import { backoffDelay, retry, sleep, type RetryOptions } from './retry';
import { seg, type Transport } from './transport';
import type { ConsumedHeaders, KafkaMessage } from './types';

export interface FetchSettings {
  readonly maxWaitTimeInMs: number;
  readonly maxBytesPerPartition: number;
  readonly maxRecords: number;
}

export interface FetchedBatch {
  readonly messages: KafkaMessage[];
  readonly highWatermark: number;
}

export interface ReaderHooks {
  /** Processes a batch (calls the user's handler); resolves offsets through the reader as it goes. */
  readonly deliver: (reader: PartitionReader, batch: FetchedBatch) => Promise<void>;
  /** Where to restart when the position is out of range (auto offset reset). */
  readonly resetOffset: (topic: string, partition: number) => Promise<number>;
  readonly onError: (err: unknown, reader: PartitionReader) => void;
}

export interface FetchBody {
  records: { offset: number; timestamp: number; key: string | null; value: string | null; headers?: { key: string; value: string | null }[] }[];
  nextOffset: number;
  highWatermark: number;
}

export class PartitionReader {
  /** The next offset to fetch. */
  private position: number;
  /** The next offset to read after the processed messages: what a commit stores. */
  resolved: number;
  /** The last committed value, when known. */
  committed?: number;
  private stopping = false;
  private paused = false;
  private resume?: () => void;
  private fetchAbort?: AbortController;
  private seekEpoch = 0;
  private errors = 0;
  private loop?: Promise<void>;

  constructor(
    readonly topic: string,
    readonly partition: number,
    startOffset: number,
    committed: number | undefined,
    private readonly transport: Transport,
    private readonly settings: FetchSettings,
    private readonly retryOptions: RetryOptions,
    private readonly hooks: ReaderHooks,
  ) {
    this.position = startOffset;
    this.resolved = startOffset;
    this.committed = committed;
  }

  /** Whether `resolved` moved past the last commit. */
  get dirty(): boolean {
    return this.resolved !== this.committed && (this.committed !== undefined || this.touched);
  }
  private touched = false;

  start(): void {
    this.loop ??= this.run();
  }

  /** True once stop() was called or a seek replaced the batch being processed (`epoch` from `epochNow`). */
  isStale(epoch: number): boolean {
    return this.stopping || this.seekEpoch !== epoch;
  }

  epochNow(): number {
    return this.seekEpoch;
  }

  isPaused(): boolean {
    return this.paused;
  }

  isStopping(): boolean {
    return this.stopping;
  }

  /** Marks `offset` processed: the next to read is offset + 1. */
  resolveOffset(offset: number): void {
    if (offset + 1 > this.resolved) {
      this.resolved = offset + 1;
      this.touched = true;
    }
  }

  seek(offset: number): void {
    this.seekEpoch++;
    this.position = offset;
    this.resolved = offset;
    this.touched = true;
    this.fetchAbort?.abort();
  }

  pause(): void {
    this.paused = true;
    this.fetchAbort?.abort();
  }

  unpause(): void {
    this.paused = false;
    this.resume?.();
  }

  /** Ends the loop after the current message; resolves when no handler of this partition runs. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.fetchAbort?.abort();
    this.resume?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      if (this.paused) {
        await new Promise<void>((resolve) => {
          this.resume = resolve;
          if (!this.paused || this.stopping) resolve();
        });
        this.resume = undefined;
        continue;
      }
      const epoch = this.seekEpoch;
      let batch: FetchedBatch | undefined;
      try {
        batch = await this.fetch();
      } catch (err) {
        if (this.stopping || this.paused || epoch !== this.seekEpoch) continue; // aborted on purpose
        await this.failed(err, epoch);
        continue;
      }
      if (batch.messages.length === 0 || epoch !== this.seekEpoch) continue;
      try {
        await this.hooks.deliver(this, batch);
        this.errors = 0;
      } catch (err) {
        this.hooks.onError(err, this);
        await this.backoff();
      }
      // Continue after what was processed (a seek has set both already).
      if (epoch === this.seekEpoch) this.position = this.resolved;
    }
  }

  private async failed(err: unknown, epoch: number): Promise<void> {
    if (err instanceof StreambedClientError && err.code === 'OFFSET_OUT_OF_RANGE') {
      try {
        const offset = await this.hooks.resetOffset(this.topic, this.partition);
        if (epoch === this.seekEpoch && !this.stopping) {
          this.position = offset;
          this.resolved = offset;
          this.touched = true;
        }
        return;
      } catch (resetErr) {
        err = resetErr;
      }
    }
    this.hooks.onError(err, this);
    await this.backoff();
  }

  private async backoff(): Promise<void> {
    const delay = backoffDelay(Math.min(this.errors, 6), this.retryOptions);
    this.errors++;
    const abort = new AbortController();
    this.fetchAbort = abort;
    await sleep(delay, abort.signal);
  }

  private async fetch(): Promise<FetchedBatch> {
    const abort = new AbortController();
    this.fetchAbort = abort;
    const { maxWaitTimeInMs, maxBytesPerPartition, maxRecords } = this.settings;
    const res = await retry(
      () =>
        this.transport.request<FetchBody>('GET', `/v1/topics/${seg(this.topic)}/partitions/${seg(this.partition)}/records`, {
          query: { offset: this.position, maxRecords, maxBytes: maxBytesPerPartition, waitMs: maxWaitTimeInMs, encoding: 'base64' },
          signal: abort.signal,
          timeoutMs: maxWaitTimeInMs + 30_000,
        }),
      this.retryOptions,
      { signal: abort.signal },
    );
    return { messages: res.body.records.map(decodeRecord), highWatermark: res.body.highWatermark };
  }
}

/** A fetched record (base64 encoding) as a KafkaMessage; also used by Admin.fetchRecords. */
export function decodeRecord(r: FetchBody['records'][number]): KafkaMessage {
  const headers: ConsumedHeaders = {};
  for (const h of r.headers ?? []) {
    const value = h.value === null ? null : fromBase64(h.value);
    const prev = headers[h.key];
    if (prev === undefined) headers[h.key] = value;
    else if (Array.isArray(prev)) prev.push(value ?? new Uint8Array(0));
    else headers[h.key] = [prev ?? new Uint8Array(0), value ?? new Uint8Array(0)];
  }
  return {
    key: r.key === null || r.key === undefined ? null : fromBase64(r.key),
    value: r.value === null ? null : fromBase64(r.value),
    headers,
    offset: r.offset,
    timestamp: r.timestamp,
  };
}
