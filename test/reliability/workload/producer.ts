/**
 * Producer workloads. Every value is unique in the run (`<process>-<n>`), every request goes to
 * one explicit partition of a random live stack.
 * - plain: at-least-once — an indeterminate attempt is retried with the same values (so a value
 *   may legitimately land twice), up to `maxAttempts`;
 * - idempotent: one lane per partition, sequences counted per partition; an indeterminate attempt
 *   is retried with the same sequence until it is answered (`copies` > 1 sends that many copies of
 *   every attempt at once: a retry storm). After PRODUCER_FENCED the lane keeps sending new batches
 *   with its stale epoch, each of which must be refused.
 */
import { backoff, sleep } from './http';
import { send, type SendResult, type WorkerContext } from './context';

export interface ProducerSpec {
  readonly kind: 'producer';
  readonly name: string;
  /** Idempotent producer identity; absent for a plain producer. */
  readonly idempotent?: { readonly id: string; readonly epoch: number };
  /** Concurrent request loops of a plain producer (default 2). */
  readonly lanes?: number;
  /** Values per request: 1…batchMax (default 3). */
  readonly batchMax?: number;
  /** Copies of every attempt sent at once (idempotent only; default 1). */
  readonly copies?: number;
  /** Probability that the client throws a response away (default 0). */
  readonly dropRate?: number;
  /** Attempts per request of a plain producer (default 6). */
  readonly maxAttempts?: number;
  /** Pause between requests of one lane, ms (default 0). */
  readonly thinkMs?: number;
  /** The harness starts this producer only after this fraction of the run (default 0). */
  readonly startAt?: number;
}

export async function runProducer(ctx: WorkerContext, spec: ProducerSpec): Promise<void> {
  let counter = 0;
  const nextValues = (): string[] => {
    const n = 1 + Math.floor(Math.random() * (spec.batchMax ?? 3));
    return Array.from({ length: n }, () => `${ctx.process}-${counter++}`);
  };
  if (spec.idempotent) {
    const { id, epoch } = spec.idempotent;
    await Promise.all(Array.from({ length: ctx.partitions }, (_, p) => idempotentLane(ctx, spec, p, id, epoch, nextValues)));
  } else {
    await Promise.all(Array.from({ length: spec.lanes ?? 2 }, () => plainLane(ctx, spec, nextValues)));
  }
}

async function plainLane(ctx: WorkerContext, spec: ProducerSpec, nextValues: () => string[]): Promise<void> {
  while (!ctx.stopping()) {
    const partition = Math.floor(Math.random() * ctx.partitions);
    const values = nextValues();
    for (let attempt = 1; attempt <= (spec.maxAttempts ?? 6); attempt++) {
      const { result } = await send(ctx, { partition, values, attempt, dropRate: spec.dropRate });
      if (result !== 'info' || ctx.stopping()) break;
      await sleep(backoff(attempt));
    }
    if (spec.thinkMs) await sleep(spec.thinkMs);
  }
}

async function idempotentLane(
  ctx: WorkerContext,
  spec: ProducerSpec,
  partition: number,
  id: string,
  epoch: number,
  nextValues: () => string[],
): Promise<void> {
  let sequence = 0;
  let fenced = false;
  while (!ctx.stopping()) {
    const values = nextValues();
    const producer = { id, epoch, sequence };
    for (let attempt = 1; ; attempt++) {
      const copies = Array.from({ length: spec.copies ?? 1 }, () => send(ctx, { partition, values, producer, attempt, dropRate: spec.dropRate }));
      const results = await Promise.all(copies);
      const kinds = new Set<SendResult>(results.map((r) => r.result));
      if (kinds.has('ok')) break;
      if (!kinds.has('info')) {
        // Definitely refused (or abandoned at the end). Only fencing is expected here.
        if (results.some((r) => r.code === 'PRODUCER_FENCED')) fenced = true;
        else if (kinds.has('fail')) {
          process.stderr.write(`${ctx.process}: partition ${partition} sequence ${sequence} refused with ${results.map((r) => r.code).join(', ')}; lane stops\n`);
          return;
        }
        break;
      }
      if (ctx.stopping()) return;
      await sleep(backoff(attempt));
    }
    sequence += values.length;
    if (fenced) await sleep(200);
    else if (spec.thinkMs) await sleep(spec.thinkMs);
  }
}
