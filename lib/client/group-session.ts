/**
 * A consumer's membership in its group (API.md "Consumer groups"): join, heartbeats in the
 * background, rejoin when the server forgot the member, leave. It only reports what the server
 * says — the member's current generation and assignment — to `onAssignment`; adopting an
 * assignment (stopping and starting partition readers, committing) is the consumer's job.
 *
 * Heartbeats run on their own timer, independent of message processing, so a slow handler does
 * not make the member miss its session timeout.
 */
import { StreambedClientError } from './errors';
import { retry, sleep, type RetryOptions } from './retry';
import { seg, type Transport } from './transport';
import type { TopicPartition } from './types';

export interface Membership {
  readonly memberId: string;
  readonly generation: number;
  readonly assignment: readonly TopicPartition[];
}

export interface GroupSessionOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly sessionTimeoutMs: number;
  readonly heartbeatInterval: number;
  readonly instanceId?: string;
  readonly retry: RetryOptions;
  /** The server's view changed (join, rebalance, rejoin). Called synchronously; must not block. */
  readonly onAssignment: (membership: Membership) => void;
  /** The membership is gone (expired or fenced): everything assigned is lost, without a commit. */
  readonly onLost: (err: StreambedClientError) => void;
  /** A heartbeat or join failed (the session keeps trying). */
  readonly onError: (err: unknown) => void;
}

interface MemberBody {
  memberId?: string;
  generation: number;
  assignment: TopicPartition[];
  rebalance?: boolean;
}

export class GroupSession {
  private membership?: Membership;
  private stopped = false;
  private readonly stopSignal = new AbortController();
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly transport: Transport,
    private readonly options: GroupSessionOptions,
  ) {}

  get current(): Membership | undefined {
    return this.membership;
  }

  /** Joins (retrying retriable failures) and starts heartbeating. */
  async start(): Promise<Membership> {
    const m = await this.join(undefined);
    this.loop = this.heartbeatLoop();
    return m;
  }

  /** Asks for a heartbeat now (e.g. a commit said the generation is stale). */
  poke(): void {
    this.wake?.();
  }

  /** Stops heartbeating; with `leave`, removes the member from the group (best effort). */
  async stop(leave: boolean): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopSignal.abort();
    this.wake?.();
    await this.loop;
    const m = this.membership;
    if (leave && m) {
      try {
        await this.transport.request('DELETE', `/v1/groups/${seg(this.options.groupId)}/members/${seg(m.memberId)}`, { timeoutMs: 10_000 });
      } catch (err) {
        if (!(err instanceof StreambedClientError && err.code === 'UNKNOWN_MEMBER_ID')) this.options.onError(err);
      }
    }
    this.membership = undefined;
  }

  private async join(memberId: string | undefined): Promise<Membership> {
    const { groupId, topics, sessionTimeoutMs, instanceId } = this.options;
    const res = await retry(
      () =>
        this.transport.request<MemberBody>('POST', `/v1/groups/${seg(groupId)}/members`, {
          body: { topics, sessionTimeoutMs, ...(memberId ? { memberId } : {}), ...(instanceId ? { instanceId } : {}) },
          signal: this.stopSignal.signal,
        }),
      { ...this.options.retry, retries: Number.MAX_SAFE_INTEGER, maxRetryTime: Math.min(this.options.retry.maxRetryTime ?? 30_000, 5_000) },
      { signal: this.stopSignal.signal, onRetry: (err) => this.options.onError(err) },
    );
    const m: Membership = { memberId: res.body.memberId ?? memberId ?? '', generation: res.body.generation, assignment: res.body.assignment };
    this.membership = m;
    this.options.onAssignment(m);
    return m;
  }

  private async heartbeatLoop(): Promise<void> {
    while (!this.stopped) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.options.heartbeatInterval);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
      });
      this.wake = undefined;
      if (this.stopped) return;
      try {
        await this.beat();
      } catch (err) {
        if (this.stopped) return;
        this.options.onError(err);
        // A failed join (the member was lost) is retried on the next tick.
        if (!(err instanceof StreambedClientError) || !err.retriable) await sleep(this.options.heartbeatInterval, this.stopSignal.signal);
      }
    }
  }

  private async beat(): Promise<void> {
    const m = this.membership;
    if (!m) {
      await this.join(undefined);
      return;
    }
    let res: MemberBody;
    try {
      res = (
        await this.transport.request<MemberBody>('POST', `/v1/groups/${seg(this.options.groupId)}/members/${seg(m.memberId)}/heartbeat`, {
          body: { generation: m.generation },
          signal: this.stopSignal.signal,
          timeoutMs: Math.max(this.options.sessionTimeoutMs, 5_000),
        })
      ).body;
    } catch (err) {
      if (this.stopped) return;
      if (err instanceof StreambedClientError && err.code === 'UNKNOWN_MEMBER_ID') {
        // Expired, left, or replaced (static membership): whatever it held now belongs to others.
        this.membership = undefined;
        this.options.onLost(err);
        await this.join(undefined);
        return;
      }
      if (err instanceof StreambedClientError && (err.code === 'REBALANCE_IN_PROGRESS' || err.code === 'ILLEGAL_GENERATION')) {
        // Still a member, but out of step: a rejoin with the same id answers the current state.
        await this.join(m.memberId);
        return;
      }
      throw err;
    }
    if (this.stopped) return;
    if (res.rebalance || res.generation !== m.generation || !sameAssignment(res.assignment, m.assignment)) {
      const next: Membership = { memberId: m.memberId, generation: res.generation, assignment: res.assignment };
      this.membership = next;
      this.options.onAssignment(next);
    }
  }
}

function sameAssignment(a: readonly TopicPartition[] | undefined, b: readonly TopicPartition[]): boolean {
  if (!a) return true; // a heartbeat without an assignment says nothing about it
  if (a.length !== b.length) return false;
  const keys = new Set(b.map((tp) => `${tp.topic}\u0000${tp.partition}`));
  return a.every((tp) => keys.has(`${tp.topic}\u0000${tp.partition}`));
}
