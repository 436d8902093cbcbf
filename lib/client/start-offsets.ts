/**
 * Where a newly assigned partition starts: a seek made before it was assigned, else the group's
 * committed offset (GET /v1/groups/{group}/offsets?topic=, one call per topic), else the earliest
 * or latest offset by the consumer's `fromBeginning` (GET …/offsets?at=, Kafka's auto offset reset).
 */
import { retry, type RetryOptions } from './retry';
import { seg, type Transport } from './transport';
import type { TopicPartition } from './types';

export interface StartOffset {
  readonly start: number;
  /** The group's committed offset, when there is one. */
  readonly committed?: number;
}

export const tpKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/** Earliest or latest offset of a partition. */
export async function resetOffset(transport: Transport, retryOptions: RetryOptions, topic: string, partition: number, fromBeginning: boolean): Promise<number> {
  const res = await retry(
    () => transport.request<{ offset: number }>('GET', `/v1/topics/${seg(topic)}/partitions/${seg(partition)}/offsets`, { query: { at: fromBeginning ? 'earliest' : 'latest' } }),
    retryOptions,
  );
  return res.body.offset;
}

/** Start offsets of `added`, keyed by tpKey; the seeks it used are removed from `pendingSeeks`. */
export async function startOffsets(
  transport: Transport,
  retryOptions: RetryOptions,
  groupId: string,
  added: readonly TopicPartition[],
  pendingSeeks: Map<string, number>,
  reset: (topic: string, partition: number) => Promise<number>,
): Promise<Map<string, StartOffset>> {
  const committed = new Map<string, number>();
  await Promise.all(
    [...new Set(added.map((tp) => tp.topic))].map(async (topic) => {
      const res = await retry(
        () => transport.request<{ offsets: { partition: number; offset: number | null }[] }>('GET', `/v1/groups/${seg(groupId)}/offsets`, { query: { topic } }),
        retryOptions,
      );
      for (const o of res.body.offsets) if (o.offset !== null && o.offset !== undefined) committed.set(tpKey(topic, o.partition), o.offset);
    }),
  );
  const out = new Map<string, StartOffset>();
  await Promise.all(
    added.map(async ({ topic, partition }) => {
      const k = tpKey(topic, partition);
      const seekTo = pendingSeeks.get(k);
      const c = committed.get(k);
      const start = seekTo ?? c ?? (await reset(topic, partition));
      pendingSeeks.delete(k);
      out.set(k, { start, committed: c });
    }),
  );
  return out;
}
