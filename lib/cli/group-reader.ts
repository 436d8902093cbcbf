/**
 * `streambed consume --group`: the SDK consumer as one member of the group. Batches are handled
 * with manual resolution, so with `--max-messages` exactly the printed records are committed
 * (on disconnect). Without `follow` it stops once every partition assigned to it has been read up
 * to the high watermark the topic had at start (its start being the group's committed offset, else
 * earliest/latest by `fromBeginning`).
 */
import type { Admin, Streambed, TopicDescription, KafkaMessage } from '../client';

export interface GroupReadPlan {
  readonly topic: string;
  readonly group: string;
  readonly description: TopicDescription;
  readonly fromBeginning: boolean;
  readonly follow: boolean;
  readonly maxMessages?: number;
}

export async function readAsGroup(
  streambed: Streambed,
  admin: Admin,
  plan: GroupReadPlan,
  onMessage: (partition: number, message: KafkaMessage) => Promise<void>,
  signal: AbortSignal,
): Promise<number> {
  const { topic } = plan;
  const committed = new Map((await admin.groupLag(plan.group, topic)).map((r) => [r.partition, r.offset]));
  const ends = new Map(plan.description.partitions.map((p) => [p.partition, p.highWatermark]));
  const positions = new Map(
    plan.description.partitions.map((p) => [p.partition, committed.get(p.partition) ?? (plan.fromBeginning ? p.logStartOffset : p.highWatermark)]),
  );
  let assigned: number[] = [];
  let delivered = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const limitReached = (): boolean => plan.maxMessages !== undefined && delivered >= plan.maxMessages;
  const check = (): void => {
    if (limitReached()) finish();
    else if (!plan.follow && assigned.length > 0 && assigned.every((p) => (positions.get(p) ?? 0) >= (ends.get(p) ?? 0))) finish();
  };
  if (signal.aborted) return 0;
  signal.addEventListener('abort', () => finish(), { once: true });

  const consumer = streambed.consumer({ groupId: plan.group, fromBeginning: plan.fromBeginning, maxWaitTimeInMs: 2_000, sessionTimeoutMs: 30_000 });
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    assigned = e.payload.assignment.filter((tp) => tp.topic === topic).map((tp) => tp.partition);
    check();
  });
  consumer.on(consumer.events.REBALANCING, (e) => {
    const revoked = new Set(e.payload.revoked.filter((tp) => tp.topic === topic).map((tp) => tp.partition));
    assigned = [...assigned.filter((p) => !revoked.has(p)), ...e.payload.assigned.filter((tp) => tp.topic === topic).map((tp) => tp.partition)];
    check();
  });
  consumer.on(consumer.events.ERROR, (e) => {
    const err = (e.payload as { error?: unknown }).error;
    process.stderr.write(`streambed: warning: ${err instanceof Error ? err.message : String(err)}\n`);
  });
  await consumer.subscribe({ topics: [topic], fromBeginning: plan.fromBeginning });
  try {
    await consumer.run({
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, isStale }) => {
        for (const m of batch.messages) {
          if (isStale() || limitReached() || signal.aborted) break;
          await onMessage(batch.partition, m);
          delivered++;
          resolveOffset(m.offset);
          positions.set(batch.partition, m.offset + 1);
        }
        check();
      },
    });
    check();
    await finished;
  } finally {
    await consumer.disconnect();
  }
  return delivered;
}
