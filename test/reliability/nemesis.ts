/**
 * The nemesis: faults done TO the processes and the storage during a run (faults inside a
 * process — injected S3/DynamoDB failures, crash fail points — are set through each stack's
 * environment in the scenario). Every action is logged in the history.
 */
import type { Cluster } from './cluster';
import type { Workers } from './workers';
import { now, type HistoryWriter } from './history';
import { StorageProbe } from './audit';
import { sleep } from './workload/http';

export type NemesisSpec =
  /** kill -9 a random stack every ~`everyMs`, restart it after `downMs`. */
  | { readonly kind: 'kill'; readonly everyMs: number; readonly downMs: number }
  /**
   * Pause a stack mid-append, fence it, let the others write, resume it: the stack `node` is
   * stopped by its own `stop` fail point (after its S3 PUT or after its commit; its env must arm
   * it) or, with `external`, by SIGSTOP at a random moment. Then the leader epoch of every
   * partition is bumped, the other stacks take writes for `holdMs`, and the paused one goes on.
   * After each round the paused stack is killed and restarted (re-arming its fail point).
   */
  | { readonly kind: 'pause-fence'; readonly node: string; readonly everyMs: number; readonly holdMs: number; readonly external?: boolean }
  /** Bump every partition's leader epoch every ~`everyMs` while writers run (fences in-flight appends). */
  | { readonly kind: 'bump'; readonly everyMs: number }
  /** kill -9 a random client worker whose name starts with `prefix` every ~`everyMs`; a new one takes its place. */
  | { readonly kind: 'kill-client'; readonly prefix: string; readonly everyMs: number };

export interface NemesisContext {
  readonly cluster: Cluster;
  readonly workers: Workers;
  readonly topic: string;
  readonly partitions: number;
  readonly history: HistoryWriter;
  readonly deadline: number;
}

export function runNemesis(spec: NemesisSpec, ctx: NemesisContext): Promise<void> {
  switch (spec.kind) {
    case 'kill':
      return killLoop(spec, ctx);
    case 'pause-fence':
      return pauseFenceLoop(spec, ctx);
    case 'bump':
      return bumpLoop(spec, ctx);
    case 'kill-client':
      return killClientLoop(spec, ctx);
  }
}

const jitter = (ms: number): number => ms * (0.5 + Math.random());
const remaining = (ctx: NemesisContext): number => ctx.deadline - Date.now();

async function killLoop(spec: Extract<NemesisSpec, { kind: 'kill' }>, ctx: NemesisContext): Promise<void> {
  for (;;) {
    await sleep(Math.min(jitter(spec.everyMs), Math.max(0, remaining(ctx))));
    if (remaining(ctx) <= spec.downMs) return;
    const up = ctx.cluster.names().filter((n) => ctx.cluster.isUp(n));
    if (up.length === 0) continue;
    const victim = up[Math.floor(Math.random() * up.length)];
    await ctx.cluster.kill9(victim);
    await sleep(jitter(spec.downMs));
    await ctx.cluster.restart(victim);
  }
}

async function killClientLoop(spec: Extract<NemesisSpec, { kind: 'kill-client' }>, ctx: NemesisContext): Promise<void> {
  for (;;) {
    await sleep(Math.min(jitter(spec.everyMs), Math.max(0, remaining(ctx))));
    if (remaining(ctx) <= 1_000) return;
    const killed = await ctx.workers.killAndReplace(spec.prefix);
    if (killed) log(ctx, 'kill-client', { worker: killed });
  }
}

async function bumpLoop(spec: Extract<NemesisSpec, { kind: 'bump' }>, ctx: NemesisContext): Promise<void> {
  for (;;) {
    await sleep(Math.min(jitter(spec.everyMs), Math.max(0, remaining(ctx))));
    if (remaining(ctx) <= 0) return;
    await bumpAll(ctx).catch((err: unknown) => log(ctx, 'bump-failed', { error: String(err) }));
  }
}

async function pauseFenceLoop(spec: Extract<NemesisSpec, { kind: 'pause-fence' }>, ctx: NemesisContext): Promise<void> {
  const marker = 'stopping (SIGSTOP)';
  // Stops seen in the node's current process (a `stop@n` fail point stops it once per process).
  let seen = 0;
  for (;;) {
    if (remaining(ctx) <= spec.holdMs + 2_000) return;
    if (spec.external) {
      await sleep(Math.min(jitter(spec.everyMs), Math.max(0, remaining(ctx))));
      if (remaining(ctx) <= spec.holdMs + 1_000) return;
      ctx.cluster.pause(spec.node);
    } else {
      // Wait for the node to stop itself at its fail point.
      while (ctx.cluster.outputCount(spec.node, marker) <= seen) {
        if (remaining(ctx) <= spec.holdMs + 1_000) return;
        await sleep(50);
      }
      seen += 1;
      ctx.cluster.markPaused(spec.node);
      log(ctx, 'paused-at-fail-point', { node: spec.node });
    }
    await bumpAll(ctx);
    await sleep(spec.holdMs);
    ctx.cluster.resume(spec.node);
    await sleep(Math.min(1_000, Math.max(0, remaining(ctx))));
    if (!spec.external) {
      // Re-arm the fail point: a new process, with a new random hit count.
      await ctx.cluster.kill9(spec.node);
      await ctx.cluster.restart(spec.node);
      seen = 0;
      await sleep(Math.min(jitter(spec.everyMs), Math.max(0, remaining(ctx))));
    }
  }
}

/** Bumps every partition's leader epoch, logging each bump with its log end offset. */
async function bumpAll(ctx: NemesisContext): Promise<void> {
  const probe = new StorageProbe(await ctx.cluster.storageConfig());
  try {
    const topicId = await probe.topicId(ctx.topic);
    for (let partition = 0; partition < ctx.partitions; partition++) {
      const { epoch, logEndOffset } = await probe.bumpEpoch(topicId, partition);
      if (epoch > 0) ctx.history.write({ type: 'info', f: 'bump-epoch', process: 'nemesis', time: now(), partition, epoch, logEndOffset });
    }
  } finally {
    probe.close();
  }
}

function log(ctx: NemesisContext, what: string, detail?: unknown): void {
  ctx.history.write({ type: 'info', f: 'nemesis', process: 'nemesis', time: now(), what, detail });
}
