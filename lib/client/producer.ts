/**
 * The producer: kafkajs's `producer.send({ topic, messages })`, with Kafka's client-side batching.
 * Messages are partitioned on the client (Kafka's default partitioner: murmur2 of the key modulo
 * the partition count; unkeyed messages stick to one partition per batch), accumulate per
 * partition (accumulator.ts), and go out as one produce call per topic per flush. Calls are
 * retried by the one retry helper; with `idempotent: true` a retry resends the very same body,
 * producer id, epoch and sequences, so the server appends it once.
 *
 * @example
 * const producer = streambed.producer({ lingerMs: 20 });
 * const [meta] = await producer.send({ topic: 'orders', messages: [{ key: 'user-1', value: 'hello' }] });
 * console.log(meta.partition, meta.offset);
 * await producer.disconnect(); // sends what is waiting first
 */
import { defaultPartition } from '../protocol/murmur2';
import { bytesOf, utf8Length } from './bytes';
import { StreambedClientError } from './errors';
import { RecordAccumulator, type TakenRequest } from './accumulator';
import { estimateBytes, produceBody, type PendingRecord } from './produce-request';
import { Sequences } from './producer-sequences';
import { DEFAULT_RETRY, retry, type RetryOptions } from './retry';
import type { TopicMetadata } from './topic-metadata';
import { seg, type Transport } from './transport';
import type { Message, ProducerRecord, RecordMetadata } from './types';

/** kafkajs's enum. Compression is a topic setting in Streambed (see `ProducerOptions.compression`). */
export const CompressionTypes = { None: 0, GZIP: 1, Snappy: 2, LZ4: 3, ZSTD: 4 } as const;
export type CompressionType = (typeof CompressionTypes)[keyof typeof CompressionTypes];

export interface ProducerOptions {
  /** How long a partition's first waiting message may wait for company (default 0: the next tick). */
  lingerMs?: number;
  /** A partition's batch is sent as soon as it holds this many (estimated JSON) bytes (default 1 MiB). */
  batchBytes?: number;
  /**
   * Accepted for kafkajs familiarity and ignored: Streambed compresses on the server, per topic
   * (`compression.type` in the topic config, see admin.createTopic). Requests travel as JSON.
   */
  compression?: CompressionType;
  /** Producer id + epoch + per-partition sequences: a retried call is appended once. Needs acks 'all'. */
  idempotent?: boolean;
  /** Produce calls in flight at once, over all partitions (default 5; always at most one per partition). */
  maxInFlight?: number;
  retry?: RetryOptions;
  /** `all` (default; -1 and 1 mean the same): resolve once durable. `none` (0): the server answers before appending. */
  acks?: 'all' | 'none' | -1 | 0 | 1;
  /** Target size of one produce call's JSON body (default 4 MiB; the API refuses bodies over 6 MiB). */
  maxRequestBytes?: number;
}

/** The API's hard body limit (API.md: REQUEST_TOO_LARGE). */
const MAX_BODY_BYTES = 6 * 1024 * 1024;

interface ProduceResponse {
  records?: { partition: number; offset: number; timestamp: number }[];
}

export class Producer {
  private readonly accumulator: RecordAccumulator;
  private readonly retryOptions: RetryOptions;
  private readonly maxInFlight: number;
  private readonly maxRequestBytes: number;
  private readonly acks: 'all' | 'none';
  private readonly idempotence?: Sequences;
  /** Unkeyed messages of a topic go to this partition until its batch is taken for sending. */
  private readonly sticky = new Map<string, number>();
  private readonly unsettled = new Set<Promise<unknown>>();
  private inFlight = 0;
  private forcing = 0;
  private timer?: ReturnType<typeof setTimeout>;
  private timerAt = 0;
  private closed = false;

  constructor(
    private readonly transport: Transport,
    private readonly metadata: TopicMetadata,
    options: ProducerOptions = {},
  ) {
    const lingerMs = nonNegative(options.lingerMs ?? 0, 'lingerMs');
    const batchBytes = positive(options.batchBytes ?? 1024 * 1024, 'batchBytes');
    this.maxInFlight = positive(options.maxInFlight ?? 5, 'maxInFlight');
    this.maxRequestBytes = Math.min(positive(options.maxRequestBytes ?? 4 * 1024 * 1024, 'maxRequestBytes'), MAX_BODY_BYTES);
    this.acks = options.acks === 'none' || options.acks === 0 ? 'none' : 'all';
    if (options.compression !== undefined && !Object.values(CompressionTypes).includes(options.compression)) {
      throw new StreambedClientError('INVALID_REQUEST', `compression must be one of CompressionTypes (${Object.values(CompressionTypes).join(', ')})`);
    }
    if (options.idempotent) {
      if (this.acks === 'none') throw new StreambedClientError('INVALID_REQUEST', 'an idempotent producer needs acks "all": with acks "none" nothing tells it what was appended');
      this.idempotence = new Sequences();
    }
    this.retryOptions = { ...DEFAULT_RETRY, ...options.retry };
    this.accumulator = new RecordAccumulator({ lingerMs, batchBytes });
  }

  /** For kafkajs familiarity: there is no connection to open. */
  async connect(): Promise<void> {}

  /** The idempotent producer's id and current epoch (undefined unless `idempotent: true`). */
  get producerId(): { id: string; epoch: number } | undefined {
    return this.idempotence ? { id: this.idempotence.id, epoch: this.idempotence.epoch } : undefined;
  }

  /**
   * Queues the messages and resolves once every one is acknowledged: one RecordMetadata per
   * message, in order. Rejects with a StreambedClientError (the API's code) when a call failed for
   * good; with several partitions involved, some messages may have been appended.
   */
  send(record: ProducerRecord & { acks?: unknown; compression?: unknown }): Promise<RecordMetadata[]> {
    const sent = this.enqueue(record);
    this.track(sent); // a flush() from now on waits for it, even while the partition count is being fetched
    return sent;
  }

  private async enqueue(record: ProducerRecord): Promise<RecordMetadata[]> {
    if (this.closed) throw new StreambedClientError('INVALID_REQUEST', 'the producer is disconnected; create a new one');
    const { topic, messages } = record;
    if (typeof topic !== 'string' || topic.length === 0) throw new StreambedClientError('INVALID_TOPIC', 'send needs a topic name');
    if (!Array.isArray(messages)) throw new StreambedClientError('INVALID_REQUEST', `messages for topic "${topic}" must be an array`);
    if (messages.length === 0) return [];
    messages.forEach(checkMessage);

    const needsCount = messages.some((m) => m.partition === undefined);
    // A send that began before disconnect() is still delivered: disconnect waits for it.
    const count = needsCount ? await this.metadata.partitionCount(topic) : 0;
    const now = Date.now();
    let full = false;
    const promises: Promise<RecordMetadata>[] = [];
    for (const message of messages) {
      const partition = message.partition ?? this.partitionFor(topic, message, count);
      let settle!: Pick<PendingRecord, 'resolve' | 'reject'>;
      const promise = new Promise<RecordMetadata>((resolve, reject) => {
        settle = { resolve, reject };
      });
      promises.push(promise);
      if (this.accumulator.append({ topic, partition, message, bytes: estimateBytes(message), ...settle }, now)) full = true;
    }
    if (full || this.forcing > 0) this.drain();
    else this.schedule(now);
    return Promise.all(promises);
  }

  /** kafkajs's sendBatch: several topics at once. */
  async sendBatch({ topicMessages }: { topicMessages: ProducerRecord[] }): Promise<RecordMetadata[]> {
    const results = await Promise.all(topicMessages.map((tm) => this.send(tm)));
    return results.flat();
  }

  /** Sends everything waiting now and resolves when all of it has settled (whatever the outcome). */
  async flush(): Promise<void> {
    const pending = [...this.unsettled];
    if (pending.length === 0) return;
    this.forcing++;
    try {
      this.drain();
      await Promise.allSettled(pending);
    } finally {
      this.forcing--;
    }
  }

  /** Refuses new sends, then flushes: every queued message is sent (or fails) before it resolves. */
  async disconnect(): Promise<void> {
    this.closed = true;
    while (this.unsettled.size > 0) await this.flush();
    if (this.timer) clearTimeout(this.timer);
  }

  private track(promise: Promise<unknown>): void {
    this.unsettled.add(promise);
    const done = (): void => {
      this.unsettled.delete(promise);
    };
    promise.then(done, done);
  }

  private partitionFor(topic: string, message: Message, count: number): number {
    if (message.key !== undefined && message.key !== null) return defaultPartition(bytesOf(message.key), count);
    let p = this.sticky.get(topic);
    if (p === undefined || p >= count) {
      p = Math.floor(Math.random() * count);
      this.sticky.set(topic, p);
    }
    return p;
  }

  /** Starts as many calls as are due and allowed; arms the linger timer for the rest. */
  private drain(): void {
    const now = Date.now();
    while (this.inFlight < this.maxInFlight) {
      if (this.idempotence?.mustWait(this.inFlight)) break;
      const taken = this.accumulator.take(now, this.forcing > 0, this.maxRequestBytes);
      if (!taken) break;
      const sticky = this.sticky.get(taken.topic);
      if (sticky !== undefined && taken.partitions.includes(sticky)) this.sticky.delete(taken.topic); // next batch, next partition
      this.inFlight++;
      void this.dispatch(taken).finally(() => {
        this.inFlight--;
        this.accumulator.release(taken.topic, taken.partitions);
        this.drain();
      });
    }
    this.schedule(now);
  }

  private schedule(now: number): void {
    // With every slot busy, the next settling call drains; a timer would only spin.
    if (this.inFlight >= this.maxInFlight) return;
    const at = this.accumulator.nextDueAt();
    if (at === undefined) return;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain();
    }, Math.max(0, at - now));
  }

  /** One produce call: serialize once (halving while over the API's limit), retry, settle each record. */
  private async dispatch(taken: TakenRequest): Promise<void> {
    let records = taken.records;
    let body = this.body(taken.topic, records);
    while (utf8Length(body.text) > MAX_BODY_BYTES && records.length > 1) {
      const keep = Math.ceil(records.length / 2);
      this.accumulator.putBack(records.slice(keep), Date.now());
      records = records.slice(0, keep);
      body = this.body(taken.topic, records);
    }
    body.commit();
    try {
      const res = await retry(
        () => this.transport.request<ProduceResponse>('POST', `/v1/topics/${seg(taken.topic)}/records`, { body: body.text }),
        this.retryOptions,
      );
      const out = res.body?.records;
      if (res.status === 202) {
        for (const r of records) r.resolve({ topicName: r.topic, partition: r.partition, errorCode: 0 });
        return;
      }
      if (!Array.isArray(out) || out.length !== records.length) {
        throw new StreambedClientError('UNKNOWN', `produce to "${taken.topic}": the response has ${Array.isArray(out) ? out.length : 'no'} records for ${records.length} sent`);
      }
      records.forEach((r, i) => r.resolve({ topicName: r.topic, partition: out[i].partition, errorCode: 0, offset: out[i].offset, timestamp: out[i].timestamp }));
    } catch (err) {
      if (err instanceof StreambedClientError && err.code === 'UNKNOWN_TOPIC_OR_PARTITION') this.metadata.invalidate(taken.topic);
      this.idempotence?.failed();
      for (const r of records) r.reject(err);
    }
  }

  private body(topic: string, records: readonly PendingRecord[]): { text: string; commit: () => void } {
    const seq = this.idempotence?.next(topic, records);
    return { text: produceBody(records, { acks: this.acks, producer: seq?.identity }), commit: () => seq?.commit() };
  }
}

function checkMessage(m: Message, i: number): void {
  if (m === null || typeof m !== 'object') throw new StreambedClientError('INVALID_REQUEST', `messages[${i}] must be an object with a value`);
  if (m.value === undefined) throw new StreambedClientError('INVALID_REQUEST', `messages[${i}].value is required (null for a tombstone)`);
  if (m.partition !== undefined && (!Number.isInteger(m.partition) || m.partition < 0)) {
    throw new StreambedClientError('INVALID_REQUEST', `messages[${i}].partition must be a non-negative integer`);
  }
  if (m.timestamp !== undefined && !Number.isSafeInteger(Number(m.timestamp))) {
    throw new StreambedClientError('INVALID_REQUEST', `messages[${i}].timestamp must be epoch milliseconds`);
  }
}

function positive(n: number, name: string): number {
  if (!Number.isFinite(n) || n <= 0) throw new StreambedClientError('INVALID_REQUEST', `${name} must be a positive number`);
  return n;
}

function nonNegative(n: number, name: string): number {
  if (!Number.isFinite(n) || n < 0) throw new StreambedClientError('INVALID_REQUEST', `${name} must be ≥ 0`);
  return n;
}
