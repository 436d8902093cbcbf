/** What a workload loop needs from its worker process: targets, the history, a stop flag. */
import { now, type HistoryWriter, type SendCompletion, type SendInvoke } from '../history';
import { call, sleep } from './http';

export interface WorkerContext {
  /** This process's name in the history. */
  readonly process: string;
  readonly topic: string;
  readonly partitions: number;
  readonly history: HistoryWriter;
  readonly requestTimeoutMs: number;
  stopping(): boolean;
  /** A stack URL to send to (random among the live ones), or undefined once stopping. */
  target(): Promise<string | undefined>;
  /** A fresh operation id. */
  nextOp(): string;
}

export interface TargetSet {
  set(urls: readonly string[]): void;
  pick(stopping: () => boolean): Promise<string | undefined>;
}

export function targetSet(): TargetSet {
  let urls: readonly string[] = [];
  return {
    set(next) {
      urls = next;
    },
    async pick(stopping) {
      while (urls.length === 0) {
        if (stopping()) return undefined;
        await sleep(50);
      }
      return urls[Math.floor(Math.random() * urls.length)];
    },
  };
}

export type SendResult = 'ok' | 'fail' | 'info' | 'abandoned';

export interface SendRequest {
  readonly partition: number;
  readonly values: readonly string[];
  readonly producer?: { readonly id: string; readonly epoch: number; readonly sequence: number };
  readonly attempt: number;
  /** Probability of throwing the response away (a response lost on the way back). */
  readonly dropRate?: number;
}

/** One produce attempt, logged as invoke + completion. */
export async function send(ctx: WorkerContext, req: SendRequest): Promise<{ result: SendResult; code?: string }> {
  const url = await ctx.target();
  if (!url) return { result: 'abandoned' };
  const op = ctx.nextOp();
  const base = { op, process: ctx.process };
  const invoke: SendInvoke = {
    type: 'invoke',
    f: 'send',
    ...base,
    time: now(),
    partition: req.partition,
    values: req.values,
    producer: req.producer,
    attempt: req.attempt,
    target: url,
  };
  ctx.history.write(invoke);
  const body: Record<string, unknown> = { records: req.values.map((value) => ({ value, partition: req.partition })) };
  if (req.producer) body.producer = { id: req.producer.id, epoch: req.producer.epoch, sequences: { [req.partition]: req.producer.sequence } };
  const out = await call(`${url}/v1/topics/${ctx.topic}/records`, 'POST', body, ctx.requestTimeoutMs);
  let done: SendCompletion;
  if (req.dropRate && Math.random() < req.dropRate) {
    done = { type: 'info', f: 'send', ...base, time: now(), code: 'DROPPED', error: `response ${out.type === 'ok' ? out.status : (out.status ?? out.code)} dropped by the client (injected)` };
  } else if (out.type === 'ok') {
    const records = (out.body as { records?: Array<{ offset: number }> }).records ?? [];
    done = { type: 'ok', f: 'send', ...base, time: now(), status: out.status, offsets: records.map((r) => r.offset) };
  } else {
    done = { type: out.type, f: 'send', ...base, time: now(), status: out.status, code: out.code, error: out.error };
  }
  ctx.history.write(done);
  return { result: done.type, code: done.code };
}
