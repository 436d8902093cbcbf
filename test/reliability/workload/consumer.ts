/**
 * The reading workload: every partition in turn, from its log start to its high watermark, with a
 * random page size; then again from the start, until the run stops. Each fetch is one operation
 * in the history (records as [offset, value] pairs), so the checker sees exactly what a reader saw.
 */
import { now, type ReadCompletion } from '../history';
import { call, backoff, sleep } from './http';
import type { WorkerContext } from './context';

export interface ConsumerSpec {
  readonly kind: 'consumer';
  readonly name: string;
  /** Pause between full passes, ms (default 100). */
  readonly pauseMs?: number;
}

const PAGE_SIZES = [1, 7, 50, 500];

export interface FetchBody {
  records: Array<{ offset: number; value: string | null }>;
  nextOffset: number;
  highWatermark: number;
  logStartOffset: number;
}

/** One logged fetch. `final` marks the reads of the end-of-run reader. */
export async function loggedFetch(
  ctx: Pick<WorkerContext, 'process' | 'topic' | 'history' | 'requestTimeoutMs' | 'nextOp'>,
  url: string,
  partition: number,
  offset: number,
  maxRecords: number,
  final = false,
): Promise<ReadCompletion> {
  const op = ctx.nextOp();
  ctx.history.write({ type: 'invoke', f: 'read', op, process: ctx.process, time: now(), partition, offset });
  const out = await call(`${url}/v1/topics/${ctx.topic}/partitions/${partition}/records?offset=${offset}&maxRecords=${maxRecords}`, 'GET', undefined, ctx.requestTimeoutMs);
  let done: ReadCompletion;
  if (out.type === 'ok') {
    const body = out.body as FetchBody;
    done = {
      type: 'ok',
      f: 'read',
      op,
      process: ctx.process,
      time: now(),
      records: body.records.map((r) => [r.offset, r.value] as const),
      highWatermark: body.highWatermark,
      logStartOffset: body.logStartOffset,
      nextOffset: body.nextOffset,
      final: final || undefined,
    };
  } else {
    done = { type: out.type, f: 'read', op, process: ctx.process, time: now(), status: out.status, code: out.code, error: out.error, final: final || undefined };
  }
  ctx.history.write(done);
  return done;
}

export async function earliestOffset(url: string, topic: string, partition: number, timeoutMs: number): Promise<number | undefined> {
  const out = await call(`${url}/v1/topics/${topic}/partitions/${partition}/offsets?at=earliest`, 'GET', undefined, timeoutMs);
  return out.type === 'ok' ? (out.body as { offset: number }).offset : undefined;
}

export async function runConsumer(ctx: WorkerContext, spec: ConsumerSpec): Promise<void> {
  while (!ctx.stopping()) {
    for (let partition = 0; partition < ctx.partitions && !ctx.stopping(); partition++) {
      await scan(ctx, partition);
    }
    await sleep(spec.pauseMs ?? 100);
  }
}

async function scan(ctx: WorkerContext, partition: number): Promise<void> {
  let offset = 0;
  for (let failures = 0; !ctx.stopping(); ) {
    const url = await ctx.target();
    if (!url) return;
    const done = await loggedFetch(ctx, url, partition, offset, PAGE_SIZES[Math.floor(Math.random() * PAGE_SIZES.length)]);
    if (done.type === 'ok') {
      failures = 0;
      if ((done.records ?? []).length === 0 || done.nextOffset === undefined) return;
      offset = done.nextOffset;
      if (offset >= (done.highWatermark ?? 0)) return;
    } else if (done.status === 416) {
      // Retention moved the log start past us: go on from the new start.
      const start = await earliestOffset(url, ctx.topic, partition, ctx.requestTimeoutMs);
      if (start === undefined || start <= offset) return;
      offset = start;
    } else if (done.type === 'fail') {
      return;
    } else {
      failures += 1;
      await sleep(backoff(failures));
    }
  }
}
