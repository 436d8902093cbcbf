/**
 * One (trigger, partition) under a held lease: finds the position (the committed offset of the
 * group `trigger.<name>`, else the starting position), fences it with the lease epoch, and then,
 * step by step, reads the next batch (up to `batchSize`, waiting up to `maximumBatchingWindowMs`
 * for a fuller one), settles it (batch-delivery.ts) and commits the position after each settled
 * part. One batch in flight per partition; the next is read only after the previous one settled.
 */
import { StreambedError } from '../errors';
import { commitFencedOffset, committedOffsets } from '../groups';
import { leaderState, listOffset, readRecords, waitForData } from '../log';
import type { DecodedRecord } from '../protocol';
import type { Storage, TopicItem } from '../storage';
import { deliverBatch, type DeliveryReport } from './batch-delivery';
import { buildEvent, type SelfManagedKafkaEvent } from './event';
import { deadLetter } from './failure-topic';
import type { PartitionLease } from './lease';
import { triggerGroup, type TriggerSettings } from './settings';

/** Calls the target function; a throw (or rejection) is a function error. */
export type FunctionInvoker = (event: SelfManagedKafkaEvent) => Promise<unknown>;

export type TriggerLog = (event: Record<string, unknown>) => void;

/** The lease was taken over (or could not be renewed): this dispatcher must stop at once. */
export class LeaseLostError extends StreambedError {
  constructor(what: string) {
    super('UNAVAILABLE', `trigger dispatcher fenced: ${what}`, { retriable: true });
    this.name = 'LeaseLostError';
  }
}

export interface PartitionDispatcherOptions {
  readonly storage: Storage;
  readonly settings: TriggerSettings;
  readonly invoke: FunctionInvoker;
  readonly bootstrapServers: string;
  readonly topic: TopicItem;
  readonly partition: number;
  readonly lease: PartitionLease;
  /** Required when settings.onFailureTopic is set. */
  readonly failureTopic?: TopicItem;
  readonly log?: TriggerLog;
  /** Aborts retry waits (shutdown). */
  readonly signal?: AbortSignal;
}

/** Bytes of record data per batch: Lambda's 6 MB synchronous payload, less base64's third. */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

export class PartitionDispatcher {
  private position = -1;
  readonly group: string;

  constructor(private readonly o: PartitionDispatcherOptions) {
    this.group = triggerGroup(o.settings.name);
  }

  /** The next offset to deliver (after start()). */
  get nextOffset(): number {
    return this.position;
  }

  /** Reads the committed position (or resolves the starting one) and fences it with the lease epoch. */
  async start(): Promise<number> {
    const { storage, topic, partition, settings } = this.o;
    const committed = (await committedOffsets(storage, this.group, topic)).get(partition);
    let position = committed;
    if (position === undefined) {
      if (settings.startingPosition === 'TRIM_HORIZON') position = await listOffset(storage, topic, partition, 'earliest');
      else if (settings.startingPosition === 'LATEST') position = await listOffset(storage, topic, partition, 'latest');
      else position = await listOffset(storage, topic, partition, { timestamp: settings.startingPositionTimestamp ?? 0 });
    }
    this.position = position;
    // The fence: from now on a commit by an earlier holder of the lease is refused.
    await this.commit(position);
    return position;
  }

  /**
   * Delivers one batch if records are there. 'idle' when the partition is caught up (the caller
   * waits for new records); 'delivered' otherwise.
   */
  async step(): Promise<'idle' | 'delivered'> {
    const { storage, topic, partition, settings } = this.o;
    this.checkLease();
    let leader = await leaderState(storage, topic, partition);
    if (this.position < leader.logStartOffset) {
      // Retention removed records never delivered: continue at the log start (Kafka's auto.offset.reset=earliest).
      this.o.log?.({ level: 'warn', event: 'trigger-position-reset', trigger: settings.name, partition, from: this.position, to: leader.logStartOffset });
      this.position = leader.logStartOffset;
    } else if (this.position > leader.logEndOffset) {
      this.position = leader.logEndOffset;
    }
    if (leader.logEndOffset === this.position) return 'idle';
    if (leader.logEndOffset - this.position < settings.batchSize && settings.maximumBatchingWindowMs > 0) {
      leader = await waitForData(storage, topic, partition, this.position + settings.batchSize - 1, settings.maximumBatchingWindowMs);
    }
    const read = await readRecords(storage, topic, partition, leader, this.position, { maxRecords: settings.batchSize, maxBytes: MAX_BATCH_BYTES });
    if (read.records.length === 0) return 'idle';
    const report = await this.deliver(read.records);
    if (report.failedInvocations > 0 || report.givenUp > 0) {
      this.o.log?.({ level: 'warn', event: 'trigger-batch', trigger: settings.name, partition, from: read.records[0].offset, ...report });
    }
    return 'delivered';
  }

  private deliver(records: DecodedRecord[]): Promise<DeliveryReport> {
    const { storage, topic, partition, settings, failureTopic } = this.o;
    return deliverBatch(records, {
      settings,
      invoke: (batch) => {
        this.checkLease();
        return this.o.invoke(buildEvent(this.o.bootstrapServers, topic.name, partition, batch));
      },
      commit: (next) => this.commit(next),
      giveUp: async (batch, error, attempts) => {
        this.checkLease();
        this.o.log?.({ level: 'error', event: 'trigger-give-up', trigger: settings.name, partition, from: batch[0].offset, count: batch.length, attempts, error });
        if (failureTopic) await deadLetter(storage, failureTopic, settings.name, { topic: topic.name, partition }, batch, error, attempts);
      },
      sleep: (ms) => this.sleep(ms),
    });
  }

  private async commit(next: number): Promise<void> {
    const { storage, topic, partition, lease } = this.o;
    if (!(await commitFencedOffset(storage, this.group, topic, partition, next, lease.epoch))) {
      lease.markLost();
      throw new LeaseLostError(`${this.group} ${topic.name}/${partition}: a dispatcher with a newer lease epoch than ${lease.epoch} committed`);
    }
    this.position = next;
  }

  private checkLease(): void {
    if (this.o.lease.lost) throw new LeaseLostError(`${this.group} ${this.o.topic.name}/${this.o.partition}: lease epoch ${this.o.lease.epoch} was taken over`);
    if (this.o.signal?.aborted) throw new StreambedError('UNAVAILABLE', 'trigger dispatcher stopping');
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      const signal = this.o.signal;
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }).then(() => this.checkLease());
  }
}
