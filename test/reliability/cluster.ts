/**
 * The local-stack processes of a run and what the nemesis does to them. Two topologies:
 * - `embedded`: ONE stack with its own emulators on a fixed data dir (as `npm start` runs it);
 *   killing it takes storage down with it, a restart finds the data again;
 * - `shared`: several stacks (think: Lambda instances) over storage that lives in the harness
 *   process (test/reliability/shared-storage.ts), so one can be killed or paused (SIGSTOP) while
 *   the others carry on and take its work over.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnLocalStack, type LocalStackProcess } from '../helpers/local-stack-process';
import { storageConfigFromEnv, type StorageConfig } from '../../lib/storage/clients';
import { startSharedStorage, type SharedStorage } from './shared-storage';

export interface NodeSpec {
  readonly name: string;
  /** Extra environment for each start (generation 0, 1, …): faults, fail points. */
  readonly env?: (generation: number) => Record<string, string>;
}

export interface ClusterOptions {
  readonly topology: 'embedded' | 'shared';
  readonly dir: string;
  readonly nodes: readonly NodeSpec[];
  /** A node that exits on its own (a crash fail point) is started again after `restartDelayMs`. */
  readonly restartOnCrash?: boolean;
  readonly restartDelayMs?: number;
  /** Told the live URLs after every change. */
  readonly onTargets: (urls: string[]) => void;
  /** The nemesis log. */
  readonly log: (what: string, detail?: unknown) => void;
}

interface Node {
  readonly spec: NodeSpec;
  proc?: LocalStackProcess;
  generation: number;
  state: 'up' | 'paused' | 'down';
  expectExit: boolean;
  clean: boolean;
  /** A start is under way (a crash restart must not start a second process). */
  starting: boolean;
}

export class Cluster {
  private readonly nodes = new Map<string, Node>();
  private storage?: SharedStorage;
  private closing = false;
  /** What the stacks reported: injected faults (`fault service:operation:kind`), fail point hits, maintenance events. */
  readonly counts = new Map<string, number>();

  private constructor(private readonly options: ClusterOptions) {}

  static async start(options: ClusterOptions): Promise<Cluster> {
    if (options.topology === 'embedded' && options.nodes.length !== 1) throw new Error('the embedded topology has exactly one stack');
    const cluster = new Cluster(options);
    if (options.topology === 'shared') cluster.storage = await startSharedStorage(join(options.dir, 'storage'));
    for (const spec of options.nodes) cluster.nodes.set(spec.name, { spec, generation: -1, state: 'down', expectExit: false, clean: false, starting: false });
    await Promise.all(options.nodes.map((n) => cluster.launch(cluster.node(n.name))));
    cluster.announce();
    return cluster;
  }

  urls(): string[] {
    return [...this.nodes.values()].filter((n) => n.state !== 'down' && n.proc).map((n) => n.proc!.url);
  }

  names(): string[] {
    return [...this.nodes.keys()];
  }

  isUp(name: string): boolean {
    return this.node(name).state === 'up';
  }

  /** Settings for SDK clients in this process that reach the stacks' storage directly. */
  async storageConfig(): Promise<StorageConfig> {
    if (this.storage) return this.storage.config;
    const proc = [...this.nodes.values()][0].proc;
    if (!proc) throw new Error('the stack is down');
    const { s3, dynamodb } = await proc.endpoints();
    return storageConfigFromEnv({ STREAMBED_S3_ENDPOINT: s3, STREAMBED_DYNAMODB_ENDPOINT: dynamodb });
  }

  async kill9(name: string): Promise<void> {
    const node = this.node(name);
    if (!node.proc || node.state === 'down') return;
    node.expectExit = true;
    this.options.log('kill9', { node: name, pid: node.proc.pid });
    await node.proc.kill9();
    this.down(node);
    this.announce();
  }

  /** No more crash restarts: the run is ending. */
  freeze(): void {
    this.closing = true;
  }

  async restart(name: string, clean = false): Promise<void> {
    const node = this.node(name);
    if (node.state !== 'down' || node.starting) return;
    await this.launch(node, clean);
    this.announce();
  }

  pause(name: string): void {
    const node = this.node(name);
    if (node.state !== 'up' || !node.proc) return;
    process.kill(node.proc.pid, 'SIGSTOP');
    node.state = 'paused';
    this.options.log('pause', { node: name, pid: node.proc.pid });
  }

  /** Marks a node that stopped itself (a `stop` fail point) as paused. */
  markPaused(name: string): void {
    const node = this.node(name);
    if (node.state === 'up') node.state = 'paused';
  }

  resume(name: string): void {
    const node = this.node(name);
    if (!node.proc || node.state === 'down') return;
    process.kill(node.proc.pid, 'SIGCONT');
    if (node.state === 'paused') this.options.log('resume', { node: name, pid: node.proc.pid });
    node.state = 'up';
  }

  /** How often the node's current process printed `line` so far. */
  outputCount(name: string, line: string): number {
    const out = this.node(name).proc?.output() ?? '';
    return out.split(line).length - 1;
  }

  /** Stops every stack (resuming paused ones first) and, with shared storage, the storage. */
  async stopAll(): Promise<void> {
    this.closing = true;
    await Promise.all(
      [...this.nodes.values()].map(async (node) => {
        if (!node.proc || node.state === 'down') return;
        continueProcess(node.proc.pid);
        node.expectExit = true;
        await node.proc.stop();
        this.down(node);
      }),
    );
    await this.storage?.stop();
  }

  /** Stops the node gracefully (resuming it first if paused); it stays down. */
  async stopNode(name: string): Promise<void> {
    const node = this.node(name);
    if (!node.proc || node.state === 'down') return;
    continueProcess(node.proc.pid);
    node.expectExit = true;
    this.options.log('stop', { node: name, pid: node.proc.pid });
    await node.proc.stop();
    this.down(node);
    this.announce();
  }

  /** Stops the node (gracefully) and starts it again without faults, for the final read. */
  async restartClean(name: string): Promise<string> {
    const node = this.node(name);
    while (node.starting) await new Promise((r) => setTimeout(r, 50));
    if (node.proc && node.state !== 'down') {
      continueProcess(node.proc.pid);
      node.expectExit = true;
      await node.proc.stop();
      this.down(node);
    }
    await this.launch(node, true);
    return node.proc!.url;
  }

  private node(name: string): Node {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`no stack named ${name}`);
    return node;
  }

  private async launch(node: Node, clean = false): Promise<void> {
    node.starting = true;
    try {
      await this.spawn(node, clean);
    } finally {
      node.starting = false;
    }
  }

  private async spawn(node: Node, clean: boolean): Promise<void> {
    node.generation += 1;
    node.clean = clean;
    const dataDir = this.options.topology === 'embedded' ? join(this.options.dir, 'data') : join(this.options.dir, `stack-${node.spec.name}`);
    // Maintenance is off unless a scenario turns it on (a killed run's lease would outlive the run).
    const env = {
      NODE_NO_WARNINGS: '1',
      STREAMBED_MAINTENANCE_INTERVAL_MS: '0',
      ...(this.storage?.stackEnv() ?? {}),
      ...(clean ? {} : (node.spec.env?.(node.generation) ?? {})),
    };
    for (let attempt = 1; ; attempt++) {
      try {
        node.proc = await spawnLocalStack({ dataDir, env, startTimeoutMs: 60_000 });
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
        this.options.log('start-failed', { node: node.spec.name, error: String(err).slice(0, 500) });
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    node.state = 'up';
    node.expectExit = false;
    if ('STREAMBED_CLOCK_OFFSET_MS' in env) this.bump(`clock offset ${env.STREAMBED_CLOCK_OFFSET_MS} ms (stack starts)`);
    this.options.log(node.generation === 0 ? 'start' : 'restart', { node: node.spec.name, pid: node.proc.pid, clean, env: clean ? {} : env });
    const proc = node.proc;
    void proc.waitExit().then((status) => {
      if (node.proc !== proc || node.expectExit) return;
      this.options.log('crashed', { node: node.spec.name, pid: proc.pid, ...status });
      this.down(node);
      this.announce();
      if (this.options.restartOnCrash && !this.closing) {
        setTimeout(() => {
          if (!this.closing && node.state === 'down' && !node.starting) void this.restart(node.spec.name).catch((err) => this.options.log('restart-failed', { error: String(err) }));
        }, this.options.restartDelayMs ?? 300);
      }
    });
  }

  /** A node went down: count what its process reported, keep its output, forget it. */
  private down(node: Node): void {
    const proc = node.proc;
    node.state = 'down';
    if (!proc) return;
    const output = proc.output();
    writeFileSync(join(this.options.dir, `stack-${node.spec.name}-${node.generation}.log`), output);
    for (const line of output.split('\n')) {
      const fault = /"msg":"fault injected","service":"(\w+)","operation":"(\w+)","kind":"(\w+)"/.exec(line);
      if (fault) this.bump(`fault ${fault[1]}:${fault[2]}:${fault[3]}`);
      const point = /^fail point ([\w.-]+): (crashing|stopping)/.exec(line);
      if (point) this.bump(`fail point ${point[1]} ${point[2] === 'crashing' ? 'crash' : 'stop'}`);
      // Not faults: the maintenance work that ran meanwhile (reported beside them).
      const maintenance = /"msg":"maintenance".*?"event":"([\w-]+)"/.exec(line);
      if (maintenance && maintenance[1] !== 'run') this.bump(`maintenance ${maintenance[1]}`);
    }
  }

  private bump(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  private announce(): void {
    this.options.onTargets(this.urls());
  }
}

/** SIGCONT, whatever we think the process's state is (a fail point may have stopped it unseen). */
function continueProcess(pid: number): void {
  try {
    process.kill(pid, 'SIGCONT');
  } catch {
    // already gone
  }
}
