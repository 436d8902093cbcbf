/**
 * The consumer: kafkajs's `subscribe` / `run({ eachMessage | eachBatch })` over Streambed's
 * server-side consumer groups. The group session (group-session.ts) joins and heartbeats; this
 * class adopts each assignment the server hands out and runs one reader per assigned partition
 * (partition-reader.ts). On a rebalance it first stops the readers of partitions being lost
 * (each finishes the message in progress), commits their progress (under the new generation, as
 * docs/groups.md's client protocol says), and only then starts the new partitions, each from its committed offset (else
 * earliest or latest, by `fromBeginning`). Delivery is at least once, in offset order per partition.
 *
 * @example
 * const consumer = streambed.consumer({ groupId: 'billing' });
 * await consumer.subscribe({ topics: ['orders'], fromBeginning: true });
 * await consumer.run({ eachMessage: async ({ partition, message }) => console.log(partition, message.value?.toString()) });
 * // … later
 * await consumer.disconnect(); // commits, leaves the group
 */
import { CONSUMER_EVENTS, EventRegistry, type ConsumerEvent, type ConsumerEvents } from './consumer-events';
import { deliverBatch, Slots } from './consumer-delivery';
import { StreambedClientError } from './errors';
import { GroupSession, type Membership } from './group-session';
import { OffsetCommitter } from './offset-committer';
import { resetOffset, startOffsets, tpKey } from './start-offsets';
import { PartitionReader } from './partition-reader';
import { backoffDelay, sleep, type RetryOptions } from './retry';
import type { Transport } from './transport';
import type { EachBatchHandler, EachMessageHandler, TopicPartition, TopicPartitionOffset, TopicPartitions } from './types';

export type { ConsumerEvents } from './consumer-events';

export interface ConsumerOptions {
  groupId: string;
  /** Topics to subscribe to (or call subscribe()). */
  topics?: string[];
  /** Where a partition without a committed offset starts: earliest (true) or latest (false, default). */
  fromBeginning?: boolean;
  /** Commit processed offsets automatically (default true): every autoCommitInterval, on rebalance and on stop. */
  autoCommit?: boolean;
  /** Default 5000 ms. */
  autoCommitInterval?: number;
  /** Also commit once this many messages were resolved since the last commit (default: off). */
  autoCommitThreshold?: number;
  /** The server removes the member after this long without a heartbeat (default 30000). */
  sessionTimeoutMs?: number;
  /** Default 3000 ms. */
  heartbeatInterval?: number;
  /** Long-poll wait of each fetch (default 5000 ms, max 20000). */
  maxWaitTimeInMs?: number;
  /** Default 1 MiB. */
  maxBytesPerPartition?: number;
  /** Records per fetch (default 500, max 10000). */
  maxRecords?: number;
  /** Static membership id (API.md `instanceId`). */
  instanceId?: string;
  retry?: RetryOptions;
}

export interface ConsumerRunConfig {
  eachMessage?: EachMessageHandler;
  eachBatch?: EachBatchHandler;
  /** Resolve a batch's last offset when eachBatch returns (default true). */
  eachBatchAutoResolve?: boolean;
  /** Partitions whose handlers may run at the same time (default 1). */
  partitionsConsumedConcurrently?: number;
  autoCommit?: boolean;
  autoCommitInterval?: number;
  autoCommitThreshold?: number;
}

const key = tpKey;

export class Consumer {
  readonly events = CONSUMER_EVENTS;
  private readonly registry = new EventRegistry();
  private readonly groupId: string;
  private readonly topics = new Set<string>();
  private fromBeginning: boolean;
  private config!: Required<Pick<ConsumerRunConfig, 'eachBatchAutoResolve' | 'partitionsConsumedConcurrently' | 'autoCommit' | 'autoCommitInterval'>> & ConsumerRunConfig;
  private readonly retryOptions: RetryOptions;
  private running = false;
  private session?: GroupSession;
  private readonly readers = new Map<string, PartitionReader>();
  private readonly pendingSeeks = new Map<string, number>();
  private readonly pausedPartitions = new Set<string>();
  private readonly pausedTopics = new Set<string>();
  /** The membership whose assignment the readers reflect (commits go out under it). */
  private active?: { memberId: string; generation: number };
  private target?: Membership;
  private reconciling: Promise<void> = Promise.resolve();
  private committer?: OffsetCommitter;
  private commitTimer?: ReturnType<typeof setInterval>;
  private slots = new Slots(1);

  constructor(
    private readonly transport: Transport,
    private readonly options: ConsumerOptions,
  ) {
    if (!options || typeof options.groupId !== 'string' || options.groupId.length === 0) {
      throw new StreambedClientError('INVALID_REQUEST', 'consumer({ groupId }) needs a group id');
    }
    this.groupId = options.groupId;
    this.fromBeginning = options.fromBeginning ?? false;
    for (const t of options.topics ?? []) this.topics.add(t);
    this.retryOptions = options.retry ?? {};
  }

  on<E extends ConsumerEvents>(type: E, listener: (event: ConsumerEvent<E>) => void): () => void {
    return this.registry.on(type, listener);
  }

  /** For kafkajs familiarity: there is no connection to open. */
  async connect(): Promise<void> {}

  async subscribe({ topics, topic, fromBeginning }: { topics?: string[]; topic?: string; fromBeginning?: boolean }): Promise<void> {
    if (this.running) throw new StreambedClientError('INVALID_REQUEST', 'subscribe before run(); stop() first to change the subscription');
    for (const t of [...(topics ?? []), ...(topic !== undefined ? [topic] : [])]) {
      if (typeof t !== 'string') throw new StreambedClientError('INVALID_TOPIC', 'topics must be names (regular expressions are not supported)');
      this.topics.add(t);
    }
    if (fromBeginning !== undefined) this.fromBeginning = fromBeginning;
  }

  /** Joins the group and starts consuming; resolves once the first assignment is adopted. */
  async run(config: ConsumerRunConfig): Promise<void> {
    if (this.running) throw new StreambedClientError('INVALID_REQUEST', 'the consumer is already running');
    if (!config || (typeof config.eachMessage !== 'function') === (typeof config.eachBatch !== 'function')) {
      throw new StreambedClientError('INVALID_REQUEST', 'run() needs exactly one of eachMessage or eachBatch');
    }
    if (this.topics.size === 0) throw new StreambedClientError('INVALID_REQUEST', 'subscribe to at least one topic before run()');
    this.config = {
      eachBatchAutoResolve: true,
      partitionsConsumedConcurrently: 1,
      ...config,
      autoCommit: config.autoCommit ?? this.options.autoCommit ?? true,
      autoCommitInterval: config.autoCommitInterval ?? this.options.autoCommitInterval ?? 5_000,
      autoCommitThreshold: config.autoCommitThreshold ?? this.options.autoCommitThreshold,
    };
    this.slots = new Slots(Math.max(1, this.config.partitionsConsumedConcurrently));
    this.running = true;
    this.committer = new OffsetCommitter(this.transport, this.groupId, this.retryOptions, this.config, this.registry, {
      readers: () => [...this.readers.values()],
      active: () => this.active,
      poke: () => this.session?.poke(),
    });
    this.session = new GroupSession(this.transport, {
      groupId: this.groupId,
      topics: [...this.topics],
      sessionTimeoutMs: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: this.options.heartbeatInterval ?? 3_000,
      instanceId: this.options.instanceId,
      retry: this.retryOptions,
      onAssignment: (m) => this.adopt(m),
      onLost: () => this.adopt(undefined),
      onError: (error) => this.registry.emit('consumer.error', { groupId: this.groupId, error, source: 'heartbeat' }),
    });
    try {
      await this.session.start();
    } catch (err) {
      this.running = false;
      throw err;
    }
    if (this.config.autoCommit) {
      this.commitTimer = setInterval(() => void this.committer?.commitIfDue(false), Math.max(100, Math.floor(this.config.autoCommitInterval / 2)));
    }
    await this.reconciling;
  }

  /** Stops fetching, waits for handlers in progress, commits (with autoCommit) and leaves the group. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.commitTimer) clearInterval(this.commitTimer);
    await this.reconciling;
    const readers = [...this.readers.values()];
    await Promise.all(readers.map((r) => r.stop()));
    if (this.config.autoCommit) await this.committer?.commit(readers, this.active, 'commit').catch(() => undefined);
    await this.session?.stop(true);
    this.readers.clear();
    this.active = undefined;
    this.target = undefined;
    this.registry.emit('consumer.stop', { groupId: this.groupId });
  }

  async disconnect(): Promise<void> {
    await this.stop();
  }

  /** Commits offsets (the next offset to read, as kafkajs) under the current membership. */
  async commitOffsets(offsets: TopicPartitionOffset[]): Promise<void> {
    if (!this.committer) throw new StreambedClientError('UNKNOWN_MEMBER_ID', `the consumer of group "${this.groupId}" is not running`);
    await this.committer.commitOffsets(offsets);
  }

  /** Reads `partition` from `offset` next (applied when it is assigned, if it is not now). */
  seek({ topic, partition, offset }: { topic: string; partition: number; offset: number | string }): void {
    const n = Number(offset);
    if (!Number.isSafeInteger(n) || n < 0) throw new StreambedClientError('INVALID_OFFSET', `seek offset must be a non-negative integer, got ${String(offset)}`);
    const reader = this.readers.get(key(topic, partition));
    if (reader) reader.seek(n);
    else this.pendingSeeks.set(key(topic, partition), n);
  }

  pause(topicPartitions: TopicPartitions[]): void {
    for (const { topic, partitions } of topicPartitions) {
      if (partitions === undefined) this.pausedTopics.add(topic);
      else for (const p of partitions) this.pausedPartitions.add(key(topic, p));
    }
    for (const r of this.readers.values()) if (this.isPaused(r.topic, r.partition)) r.pause();
  }

  resume(topicPartitions: TopicPartitions[]): void {
    for (const { topic, partitions } of topicPartitions) {
      if (partitions === undefined) {
        this.pausedTopics.delete(topic);
        for (const k of [...this.pausedPartitions]) if (k.startsWith(`${topic}\u0000`)) this.pausedPartitions.delete(k);
      } else for (const p of partitions) this.pausedPartitions.delete(key(topic, p));
    }
    for (const r of this.readers.values()) if (!this.isPaused(r.topic, r.partition)) r.unpause();
  }

  paused(): TopicPartitions[] {
    const byTopic = new Map<string, number[]>();
    for (const r of this.readers.values()) {
      if (!this.isPaused(r.topic, r.partition)) continue;
      byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r.partition]);
    }
    return [...byTopic].map(([topic, partitions]) => ({ topic, partitions: partitions.sort((a, b) => a - b) }));
  }

  /** The partitions this consumer reads now. */
  assignment(): TopicPartition[] {
    return [...this.readers.values()].map((r) => ({ topic: r.topic, partition: r.partition }));
  }

  private isPaused(topic: string, partition: number): boolean {
    return this.pausedTopics.has(topic) || this.pausedPartitions.has(key(topic, partition));
  }

  /** Queues the adoption of the server's latest view (undefined: the membership was lost). */
  private adopt(membership: Membership | undefined): void {
    this.target = membership;
    const lost = membership === undefined;
    this.reconciling = this.reconciling.then(() => this.reconcile(lost)).catch((error: unknown) => this.registry.emit('consumer.error', { groupId: this.groupId, error, source: 'rebalance' }));
  }

  private async reconcile(membershipLost: boolean): Promise<void> {
    for (let attempt = 0; this.running; attempt++) {
      const target = this.target;
      const wanted = new Set((target?.assignment ?? []).map((tp) => key(tp.topic, tp.partition)));
      // A lost membership loses everything, even partitions the new membership gets again: others
      // may have read them meanwhile, so they restart from the committed offsets.
      const lost = [...this.readers.entries()].filter(([k]) => membershipLost || !wanted.has(k)).map(([, r]) => r);
      // 1. Finish what is being processed on partitions being lost, and commit it under the new
      //    generation (docs/groups.md, "The client protocol": the member is still in the group,
      //    and a commit is never an offset nobody processed, so the next owner skips nothing).
      await Promise.all(lost.map((r) => r.stop()));
      if (this.config.autoCommit && !membershipLost && target && lost.length > 0) {
        await this.committer?.commit(lost, { memberId: target.memberId, generation: target.generation }, 'rebalance').catch(() => undefined);
      }
      for (const r of lost) this.readers.delete(key(r.topic, r.partition));
      const dropped = membershipLost;
      membershipLost = false;
      if (!target) {
        this.active = undefined;
        return;
      }
      const previous = this.active;
      this.active = { memberId: target.memberId, generation: target.generation };
      // 2. Start the new partitions from their committed offsets.
      const added = target.assignment.filter((tp) => !this.readers.has(key(tp.topic, tp.partition)));
      try {
        const starts = await startOffsets(this.transport, this.retryOptions, this.groupId, added, this.pendingSeeks, (t, p) => this.resetOffset(t, p));
        if (this.target !== target || !this.running) continue; // a newer view arrived meanwhile
        for (const tp of added) {
          const s = starts.get(key(tp.topic, tp.partition))!;
          const reader = new PartitionReader(tp.topic, tp.partition, s.start, s.committed, this.transport, this.fetchSettings(), this.retryOptions, {
            deliver: (r, batch) => deliverBatch(this.deliveryContext(), r, batch),
            resetOffset: (topic, partition) => this.resetOffset(topic, partition),
            onError: (error, r) => this.registry.emit('consumer.error', { groupId: this.groupId, error, source: 'fetch', topic: r.topic, partition: r.partition }),
          });
          this.readers.set(key(tp.topic, tp.partition), reader);
          if (this.isPaused(tp.topic, tp.partition)) reader.pause();
          reader.start();
        }
      } catch (error) {
        this.registry.emit('consumer.error', { groupId: this.groupId, error, source: 'rebalance' });
        await sleep(backoffDelay(Math.min(attempt, 5), this.retryOptions));
        continue;
      }
      const event = previous === undefined || dropped ? 'consumer.group_join' : 'consumer.rebalancing';
      if (event === 'consumer.group_join') {
        this.registry.emit(event, { groupId: this.groupId, memberId: target.memberId, generation: target.generation, assignment: [...target.assignment] });
      } else {
        this.registry.emit(event, { groupId: this.groupId, memberId: target.memberId, generation: target.generation, revoked: lost.map(tpOf), assigned: added });
      }
      if (this.target === target) return;
    }
  }

  private resetOffset(topic: string, partition: number): Promise<number> {
    return resetOffset(this.transport, this.retryOptions, topic, partition, this.fromBeginning);
  }

  private fetchSettings(): { maxWaitTimeInMs: number; maxBytesPerPartition: number; maxRecords: number } {
    return {
      maxWaitTimeInMs: this.options.maxWaitTimeInMs ?? 5_000,
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 1024 * 1024,
      maxRecords: this.options.maxRecords ?? 500,
    };
  }

  private deliveryContext(): Parameters<typeof deliverBatch>[0] {
    return {
      config: this.config,
      slots: this.slots,
      isRunning: () => this.running,
      isPaused: (topic, partition) => this.isPaused(topic, partition),
      pause: (topic, partition) => {
        this.pause([{ topic, partitions: [partition] }]);
        return () => this.resume([{ topic, partitions: [partition] }]);
      },
      resolved: (n) => this.committer?.resolved(n),
      commitIfNecessary: async (offsets) => {
        if (offsets) await this.commitOffsets(offsets);
        else await this.committer?.commitIfDue(!this.config.autoCommit);
      },
    };
  }
}

function tpOf(r: PartitionReader): TopicPartition {
  return { topic: r.topic, partition: r.partition };
}
