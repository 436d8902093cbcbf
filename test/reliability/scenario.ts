/**
 * One scenario of the reliability matrix, start to end: stacks (test/reliability/cluster.ts), a
 * topic, client worker processes logging their histories, the nemesis for a bounded time; then
 * workers stop, the stacks run again without faults, an optional zero-grace GC pass runs, the
 * final read and the storage audit are logged, and the checker judges the whole history.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { check, violations, type CheckResult } from './checker';
import { Cluster, type NodeSpec } from './cluster';
import { finalGroupOffsets, finalRead } from './final-read';
import { HistoryWriter, now, readHistory } from './history';
import { runNemesis, type NemesisSpec } from './nemesis';
import { StorageProbe } from './audit';
import { finalGc } from './final-gc';
import type { WorkloadSpec } from './worker';
import { Workers } from './workers';
import { call, sleep } from './workload/http';

export interface ScenarioSpec {
  readonly name: string;
  /** One line for the report. */
  readonly title: string;
  readonly topology: 'embedded' | 'shared';
  readonly nodes: readonly NodeSpec[];
  readonly partitions: number;
  readonly topicConfig?: Readonly<Record<string, unknown>>;
  readonly workload: readonly WorkloadSpec[];
  readonly nemesis?: readonly NemesisSpec[];
  /** Restart a stack that died by itself (crash fail points). */
  readonly restartOnCrash?: boolean;
  /** Run maintenance with zero grace periods at the end, before the final read (default true). */
  readonly finalGc?: boolean;
}

export interface RunOptions {
  /** Where the histories and stack logs go (a fresh directory per scenario). */
  readonly dir: string;
  readonly durationMs: number;
  /** Client request timeout (default 8 s). */
  readonly requestTimeoutMs?: number;
  readonly progress?: (line: string) => void;
}

export interface ScenarioOutcome {
  readonly name: string;
  readonly title: string;
  readonly dir: string;
  readonly result: CheckResult;
  readonly violations: string[];
  /** Faults by kind: nemesis actions, injected storage faults, fail point hits, dropped responses. */
  readonly faults: ReadonlyMap<string, number>;
  readonly ms: number;
}

export async function runScenario(spec: ScenarioSpec, options: RunOptions): Promise<ScenarioOutcome> {
  const started = Date.now();
  const say = options.progress ?? (() => {});
  const dir = options.dir;
  mkdirSync(dir, { recursive: true });
  const topic = `rel-${spec.name}`;
  const requestTimeoutMs = options.requestTimeoutMs ?? 8_000;
  const nemesisLog = new HistoryWriter(join(dir, 'nemesis.jsonl'));
  const log = (what: string, detail?: unknown): void => nemesisLog.write({ type: 'info', f: 'nemesis', process: 'nemesis', time: now(), what, detail });
  const workers = new Workers({ dir, topic, partitions: spec.partitions, requestTimeoutMs });
  const cluster = await Cluster.start({
    topology: spec.topology,
    dir,
    nodes: spec.nodes,
    restartOnCrash: spec.restartOnCrash,
    onTargets: (urls) => workers.setTargets(urls),
    log,
  });
  let finalWriter: HistoryWriter | undefined;
  try {
    say(`${spec.name}: stacks up (${cluster.urls().join(', ')})`);
    await createTopic(cluster, topic, spec.partitions, spec.topicConfig);
    const deadline = Date.now() + options.durationMs;
    const immediate = spec.workload.filter((w) => w.kind !== 'producer' || !w.startAt);
    await Promise.all(immediate.map((w) => workers.start(w)));
    const delayed = spec.workload.filter((w) => w.kind === 'producer' && w.startAt);
    const late = delayed.map(async (w) => {
      await sleep(options.durationMs * (w.kind === 'producer' ? (w.startAt ?? 0) : 0));
      log('start-worker', { worker: w.name });
      await workers.start(w);
    });
    say(`${spec.name}: ${spec.workload.length} workers, running for ${Math.round(options.durationMs / 1000)} s`);
    const ctx = { cluster, workers, topic, partitions: spec.partitions, history: nemesisLog, deadline };
    await Promise.all([...(spec.nemesis ?? []).map((n) => runNemesis(n, ctx)), sleep(options.durationMs), ...late]);
    log('stop-workers');
    await workers.stopAll(requestTimeoutMs + 15_000);

    // The end: the same data, no faults.
    say(`${spec.name}: workers stopped; final read`);
    cluster.freeze();
    const [first, ...others] = cluster.names();
    for (const name of others) await cluster.stopNode(name);
    const url = await cluster.restartClean(first);
    log('final-stack', { node: first, url });
    finalWriter = new HistoryWriter(join(dir, 'final.jsonl'));
    const probe = new StorageProbe(await cluster.storageConfig());
    try {
      if (spec.finalGc ?? true) await finalGc(probe, finalWriter);
      await finalRead(url, topic, spec.partitions, finalWriter);
      for (const group of new Set(spec.workload.flatMap((w) => (w.kind === 'group' ? [w.group] : [])))) {
        await finalGroupOffsets(url, group, topic, finalWriter);
      }
      await probe.audit(topic, spec.partitions, finalWriter);
    } finally {
      probe.close();
    }
  } finally {
    finalWriter?.close();
    await workers.stopAll(1_000);
    await cluster.stopAll();
    nemesisLog.close();
  }

  const history = readHistory(dir);
  const result = check(history);
  const faults = new Map(cluster.counts);
  for (const e of history) {
    if (e.type === 'info' && e.f === 'nemesis' && ['kill9', 'pause', 'paused-at-fail-point', 'kill-client'].includes(e.what)) add(faults, `nemesis ${e.what}`);
    if (e.type === 'info' && e.f === 'bump-epoch') add(faults, 'nemesis epoch bump');
    if (e.type === 'info' && e.f === 'send' && e.code === 'DROPPED') add(faults, 'client dropped response');
  }
  return { name: spec.name, title: spec.title, dir, result, violations: violations(result), faults, ms: Date.now() - started };
}

function add(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

async function createTopic(cluster: Cluster, name: string, partitions: number, config?: Readonly<Record<string, unknown>>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const urls = cluster.urls();
    const out = urls.length > 0 ? await call(`${urls[0]}/v1/topics`, 'POST', { name, partitions, config }, 10_000) : undefined;
    if (out?.type === 'ok') return;
    // 409 after an attempt whose answer was lost: it exists.
    if (out?.type === 'fail' && out.code === 'TOPIC_ALREADY_EXISTS' && attempt > 1) return;
    if (attempt >= 30) throw new Error(`cannot create topic ${name}: ${JSON.stringify(out)}`);
    await sleep(200 * Math.min(attempt, 5));
  }
}
