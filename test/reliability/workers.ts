/** The client worker processes of a run, seen from the harness: fork, tell them the targets, stop. */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ToWorker, WorkerArgs, WorkloadSpec } from './worker';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

export interface WorkerHandle {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
}

export class Workers {
  private readonly live: WorkerHandle[] = [];
  private readonly specs = new Map<string, WorkloadSpec>();
  private replacements = 0;
  private urls: string[] = [];

  constructor(
    private readonly options: { dir: string; topic: string; partitions: number; requestTimeoutMs: number },
  ) {}

  /** Forks one worker; resolves once it is ready to take targets. */
  async start(spec: WorkloadSpec): Promise<WorkerHandle> {
    const args: WorkerArgs = {
      spec,
      topic: this.options.topic,
      partitions: this.options.partitions,
      historyFile: join(this.options.dir, `${spec.name}.jsonl`),
      requestTimeoutMs: this.options.requestTimeoutMs,
    };
    const child = fork(WORKER, [JSON.stringify(args)], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`worker ${spec.name} exited (${code}) before it was ready`)));
    });
    const handle = { name: spec.name, child, exited };
    this.specs.set(spec.name, spec);
    this.live.push(handle);
    this.tell(handle, { type: 'targets', urls: this.urls });
    return handle;
  }

  /**
   * kill -9 of a random live worker whose name starts with `prefix` (a client crashing mid-request:
   * its last operation stays without completion), and a replacement with the same workload under
   * a new name. Returns the name killed.
   */
  async killAndReplace(prefix: string): Promise<string | undefined> {
    const candidates = this.live.filter((w) => w.name.startsWith(prefix) && w.child.exitCode === null && w.child.signalCode === null);
    if (candidates.length === 0) return undefined;
    const victim = candidates[Math.floor(Math.random() * candidates.length)];
    victim.child.kill('SIGKILL');
    await victim.exited;
    const spec = this.specs.get(victim.name)!;
    this.replacements += 1;
    await this.start({ ...spec, name: `${spec.name.split('~')[0]}~${this.replacements}` });
    return victim.name;
  }

  /** The stacks workers may send to (after every kill, restart or pause that changes them). */
  setTargets(urls: string[]): void {
    this.urls = urls;
    for (const w of this.live) this.tell(w, { type: 'targets', urls });
  }

  /** Asks every worker to stop, waits for them (SIGKILL after `graceMs`). */
  async stopAll(graceMs: number): Promise<void> {
    for (const w of this.live) this.tell(w, { type: 'stop' });
    await Promise.all(
      this.live.map(async (w) => {
        const timer = setTimeout(() => w.child.kill('SIGKILL'), graceMs);
        await w.exited;
        clearTimeout(timer);
      }),
    );
  }

  private tell(w: WorkerHandle, message: ToWorker): void {
    if (w.child.connected) w.child.send(message);
  }
}
