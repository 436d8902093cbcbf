/**
 * The final read: once the workers stopped and the stacks run without faults, one reader reads
 * every partition from its log start to its high watermark. The checker takes it as the truth of
 * what the log holds (reads marked `final`).
 */
import { now, type HistoryWriter } from './history';
import { backoff, call, sleep } from './workload/http';
import { earliestOffset, loggedFetch } from './workload/consumer';

const MAX_FAILURES = 20;

export async function finalRead(url: string, topic: string, partitions: number, history: HistoryWriter): Promise<void> {
  let ops = 0;
  const ctx = { process: 'final', topic, history, requestTimeoutMs: 30_000, nextOp: () => `final:${ops++}` };
  for (let partition = 0; partition < partitions; partition++) {
    let offset: number | undefined;
    for (let attempt = 0; offset === undefined && attempt < MAX_FAILURES; attempt++) {
      offset = await earliestOffset(url, topic, partition, ctx.requestTimeoutMs);
      if (offset === undefined) await sleep(backoff(attempt, 100, 2_000));
    }
    offset ??= 0;
    for (let failures = 0; failures < MAX_FAILURES; ) {
      const done = await loggedFetch(ctx, url, partition, offset, 10_000, true);
      if (done.type !== 'ok') {
        failures += 1;
        await sleep(backoff(failures, 100, 2_000));
        continue;
      }
      if ((done.records ?? []).length === 0 || done.nextOffset === undefined) break;
      offset = done.nextOffset;
      if (offset >= (done.highWatermark ?? 0)) break;
    }
  }
}

/** Logs the group's committed offsets of the topic as an audit event. */
export async function finalGroupOffsets(url: string, group: string, topic: string, history: HistoryWriter): Promise<void> {
  for (let attempt = 0; attempt < MAX_FAILURES; attempt++) {
    const out = await call(`${url}/v1/groups/${group}/offsets?topic=${topic}`, 'GET', undefined, 30_000);
    if (out.type === 'ok') {
      const rows = (out.body as { offsets: Array<{ partition: number; offset: number | null }> }).offsets;
      history.write({ type: 'audit', f: 'group-offsets', time: now(), group, offsets: rows.map((r) => [r.partition, r.offset] as const) });
      return;
    }
    await sleep(backoff(attempt, 100, 2_000));
  }
}
