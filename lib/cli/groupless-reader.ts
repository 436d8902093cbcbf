/**
 * `streambed consume` without `--group`: reads partitions by offset with the admin client's
 * groupless fetch (Kafka's assign(), no commits). Without `follow` each partition is read up to
 * the high watermark it had when the command started; with `follow` it long-polls for more.
 * Partitions are read one fetch at a time in turn, so output interleaves fairly.
 */
import type { Admin, KafkaMessage } from '../client';

export interface ReadPlan {
  readonly topic: string;
  /** Start offset per partition. */
  readonly starts: ReadonlyMap<number, number>;
  /** Stop offset per partition (exclusive) when not following. */
  readonly ends: ReadonlyMap<number, number>;
  readonly follow: boolean;
  readonly maxMessages?: number;
}

export async function readPartitions(
  admin: Admin,
  plan: ReadPlan,
  onMessage: (partition: number, message: KafkaMessage) => Promise<void>,
  signal: AbortSignal,
): Promise<number> {
  const positions = new Map(plan.starts);
  let delivered = 0;
  const limitReached = (): boolean => plan.maxMessages !== undefined && delivered >= plan.maxMessages;
  const active = (): number[] => [...positions.keys()].filter((p) => plan.follow || positions.get(p)! < (plan.ends.get(p) ?? 0));
  while (!signal.aborted && !limitReached()) {
    const partitions = active();
    if (partitions.length === 0) break;
    // Long-poll only when a single partition is read; with several, a short wait keeps turns fair.
    const waitMs = plan.follow ? (partitions.length === 1 ? 10_000 : 250) : 0;
    for (const partition of partitions) {
      if (signal.aborted || limitReached()) break;
      const offset = positions.get(partition)!;
      const end = plan.ends.get(partition);
      const maxRecords = plan.follow || end === undefined ? 2000 : Math.min(2000, end - offset);
      let res;
      try {
        res = await admin.fetchRecords(plan.topic, partition, { offset, maxRecords, waitMs, signal });
      } catch (err) {
        if (signal.aborted) break;
        throw err;
      }
      for (const m of res.messages) {
        if (!plan.follow && end !== undefined && m.offset >= end) break;
        if (limitReached()) break;
        await onMessage(partition, m);
        delivered++;
        positions.set(partition, m.offset + 1);
      }
      if (res.messages.length === 0) {
        // Nothing more to read here now: when not following, this partition is done.
        positions.set(partition, plan.follow ? Math.max(offset, res.nextOffset) : Math.max(end ?? offset, offset));
      }
    }
  }
  return delivered;
}
