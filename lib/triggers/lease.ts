/**
 * The lease that makes one dispatcher at a time the owner of a (trigger, partition): an item of
 * the groups table (lib/storage/trigger-leases.ts) with an epoch that every acquisition bumps.
 * The epoch is the fencing token of the position commits (lib/groups/fenced-offsets.ts): once a
 * successor has committed, a dispatcher whose lease was taken over can no longer move the
 * position. While held, the lease is renewed in the background every third of its duration; a
 * renewal that finds the epoch moved marks the lease lost.
 */
import type { Storage } from '../storage';

export interface LeaseOptions {
  readonly leaseMs: number;
  readonly owner: string;
  /** The clock (tests skew it to take a lease over early). */
  readonly now?: () => number;
}

export class PartitionLease {
  private renewer: NodeJS.Timeout | undefined;
  private lostFlag = false;
  private releasedFlag = false;

  private constructor(
    private readonly storage: Storage,
    readonly group: string,
    readonly topic: string,
    readonly partition: number,
    readonly epoch: number,
    private readonly options: LeaseOptions,
  ) {}

  /** The lease, or undefined when another dispatcher holds it and it has not expired. */
  static async acquire(storage: Storage, group: string, topic: string, partition: number, options: LeaseOptions): Promise<PartitionLease | undefined> {
    const now = options.now ?? Date.now;
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await storage.triggerLeases.get(group, topic, partition);
      const at = now();
      if (current && current.expiresAt >= at) return undefined;
      if (await storage.triggerLeases.acquire(group, topic, partition, current, options.owner, at, options.leaseMs)) {
        const lease = new PartitionLease(storage, group, topic, partition, (current?.epoch ?? 0) + 1, options);
        lease.startRenewing();
        return lease;
      }
    }
    return undefined;
  }

  /** True once a renewal found the lease taken over. */
  get lost(): boolean {
    return this.lostFlag;
  }

  /** Extends the lease now; false (and `lost`) when it was taken over. */
  async renew(): Promise<boolean> {
    if (this.lostFlag || this.releasedFlag) return false;
    const now = this.options.now ?? Date.now;
    const ok = await this.storage.triggerLeases.extend(this.group, this.topic, this.partition, this.epoch, now() + this.options.leaseMs);
    if (!ok) this.markLost();
    return ok;
  }

  markLost(): void {
    this.lostFlag = true;
    this.stopRenewing();
  }

  /** Gives the lease up at once (expiresAt 0), so the next dispatcher need not wait for it to expire. */
  async release(): Promise<void> {
    this.stopRenewing();
    if (this.lostFlag || this.releasedFlag) return;
    this.releasedFlag = true;
    await this.storage.triggerLeases.extend(this.group, this.topic, this.partition, this.epoch, 0).catch(() => false);
  }

  private startRenewing(): void {
    this.renewer = setInterval(() => {
      this.renew().catch(() => undefined); // a failed renewal is retried at the next tick; expiry fences us if they keep failing
    }, Math.max(100, Math.floor(this.options.leaseMs / 3)));
    this.renewer.unref();
  }

  private stopRenewing(): void {
    if (this.renewer) clearInterval(this.renewer);
    this.renewer = undefined;
  }
}
