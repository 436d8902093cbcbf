/**
 * The consumer's commits (POST /v1/groups/{group}/offsets): the partitions' *resolved* offsets
 * (the next offset to read after what was processed), never fetched ones. Commits run one at a
 * time, in order, so a slow older commit can never land after a newer one; at most one
 * auto-commit waits in the queue, and it commits whatever is resolved when its turn comes.
 */
import type { EventRegistry } from './consumer-events';
import { StreambedClientError } from './errors';
import type { PartitionReader } from './partition-reader';
import { retry, type RetryOptions } from './retry';
import { seg, type Transport } from './transport';
import type { TopicPartitionOffset } from './types';

export interface MemberRef {
  readonly memberId: string;
  readonly generation: number;
}

export interface AutoCommitSettings {
  readonly autoCommit: boolean;
  readonly autoCommitInterval: number;
  readonly autoCommitThreshold?: number;
}

export interface CommitterHooks {
  /** The partitions read now. */
  readers(): PartitionReader[];
  /** The membership the readers reflect (commits go out under it). */
  active(): MemberRef | undefined;
  /** A commit found the membership out of date: heartbeat now. */
  poke(): void;
}

export class OffsetCommitter {
  private chain: Promise<void> = Promise.resolve();
  private lastCommitAt = 0;
  private resolvedSinceCommit = 0;
  private autoQueued = false;

  constructor(
    private readonly transport: Transport,
    private readonly groupId: string,
    private readonly retryOptions: RetryOptions,
    private readonly settings: AutoCommitSettings,
    private readonly events: EventRegistry,
    private readonly hooks: CommitterHooks,
  ) {}

  /** `n` more messages were resolved; commits if the interval or threshold says so. */
  resolved(n: number): void {
    this.resolvedSinceCommit += n;
    void this.commitIfDue(false);
  }

  /** With autoCommit (or `force`), commits every reader when the interval or threshold is due. */
  async commitIfDue(force: boolean): Promise<void> {
    if (!force && !this.settings.autoCommit) return;
    const dueByTime = Date.now() - this.lastCommitAt >= this.settings.autoCommitInterval;
    const threshold = this.settings.autoCommitThreshold;
    const dueByCount = threshold !== undefined && this.resolvedSinceCommit >= threshold;
    if (!force && !dueByTime && !dueByCount) return;
    if (this.autoQueued) return;
    this.autoQueued = true;
    await this.commit(null, undefined, 'commit').catch(() => undefined);
  }

  /**
   * Commits the readers' resolved offsets under `member` (null readers: every current reader, under
   * the membership current when the commit runs). Errors are reported as events, then rethrown.
   */
  commit(readers: PartitionReader[] | null, member: MemberRef | undefined, source: 'commit' | 'rebalance'): Promise<void> {
    return this.serialize(async () => {
      if (readers === null) {
        this.autoQueued = false;
        member = this.hooks.active();
      }
      const dirty = (readers ?? this.hooks.readers()).filter((r) => r.dirty);
      this.lastCommitAt = Date.now();
      this.resolvedSinceCommit = 0;
      if (dirty.length === 0 || !member) return;
      const offsets = dirty.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.resolved }));
      try {
        await this.post(offsets, member);
      } catch (error) {
        this.events.emit('consumer.error', { groupId: this.groupId, error, source });
        throw error;
      }
      offsets.forEach((o, i) => {
        dirty[i].committed = o.offset;
      });
    });
  }

  /** The user's own commit (`consumer.commitOffsets`), under the current membership. */
  commitOffsets(offsets: TopicPartitionOffset[]): Promise<void> {
    return this.serialize(async () => {
      const body = offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: Number(o.offset), ...(o.metadata !== undefined ? { metadata: o.metadata } : {}) }));
      await this.post(body, this.hooks.active());
      const readers = new Map(this.hooks.readers().map((r) => [`${r.topic}\u0000${r.partition}`, r]));
      for (const o of body) {
        const r = readers.get(`${o.topic}\u0000${o.partition}`);
        if (r) r.committed = o.offset;
      }
    });
  }

  private async post(offsets: { topic: string; partition: number; offset: number; metadata?: string | null }[], member: MemberRef | undefined): Promise<void> {
    if (!member) throw new StreambedClientError('UNKNOWN_MEMBER_ID', `the consumer of group "${this.groupId}" has no membership (not running, or rejoining)`);
    try {
      await retry(
        () => this.transport.request('POST', `/v1/groups/${seg(this.groupId)}/offsets`, { body: { memberId: member.memberId, generation: member.generation, offsets } }),
        this.retryOptions,
      );
    } catch (err) {
      // A stale generation or a lost member: a heartbeat learns the current assignment.
      if (err instanceof StreambedClientError && ['ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID'].includes(err.code)) this.hooks.poke();
      throw err;
    }
    this.events.emit('consumer.commit_offsets', { groupId: this.groupId, memberId: member.memberId, generation: member.generation, offsets });
  }

  private serialize(fn: () => Promise<void>): Promise<void> {
    const p = this.chain.then(fn);
    this.chain = p.catch(() => undefined);
    return p;
  }
}
