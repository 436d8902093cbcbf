/**
 * The idempotent producer's state (API.md "Idempotent produce"): a random producer id, an epoch,
 * and the next sequence per topic-partition. After a call fails for good the producer no longer
 * knows whether the server holds it, so — once no call is in flight — it bumps the epoch and starts
 * every partition at 0 again (a higher epoch starts again at 0 on the server).
 */
import type { PendingRecord, ProducerIdentity } from './produce-request';

export class Sequences {
  readonly id = globalThis.crypto.randomUUID();
  epoch = 0;
  private readonly nextSeq = new Map<string, number>();
  private bumpPending = false;

  /** Calls must wait while a bump is pending and others are in flight; the bump happens when none is. */
  mustWait(inFlight: number): boolean {
    if (!this.bumpPending) return false;
    if (inFlight > 0) return true;
    this.epoch++;
    this.nextSeq.clear();
    this.bumpPending = false;
    return false;
  }

  failed(): void {
    this.bumpPending = true;
  }

  /** The producer block for these records, and `commit` to consume their sequence numbers. */
  next(topic: string, records: readonly PendingRecord[]): { identity: ProducerIdentity; commit: () => void } {
    const counts = new Map<number, number>();
    for (const r of records) counts.set(r.partition, (counts.get(r.partition) ?? 0) + 1);
    const sequences: Record<string, number> = {};
    for (const p of counts.keys()) sequences[String(p)] = this.nextSeq.get(`${topic}\u0000${p}`) ?? 0;
    return {
      identity: { id: this.id, epoch: this.epoch, sequences },
      commit: () => {
        for (const [p, n] of counts) this.nextSeq.set(`${topic}\u0000${p}`, sequences[String(p)] + n);
      },
    };
  }
}
