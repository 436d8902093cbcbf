/**
 * A client worker process of a reliability run (forked by test/reliability/workers.ts with an IPC
 * channel): runs one producer, reader or consumer-group member workload against the stacks it is
 * told about and logs every operation to its own history file. Messages from the harness:
 * `{type: 'targets', urls}` (the live stacks, sent again after every kill/restart) and `{type: 'stop'}`.
 */
import { HistoryWriter } from './history';
import { targetSet, type WorkerContext } from './workload/context';
import { runConsumer, type ConsumerSpec } from './workload/consumer';
import { runGroupMember, type GroupSpec } from './workload/group-consumer';
import { runProducer, type ProducerSpec } from './workload/producer';

export type WorkloadSpec = ProducerSpec | ConsumerSpec | GroupSpec;

export interface WorkerArgs {
  readonly spec: WorkloadSpec;
  readonly topic: string;
  readonly partitions: number;
  readonly historyFile: string;
  readonly requestTimeoutMs: number;
}

export type ToWorker = { type: 'targets'; urls: string[] } | { type: 'stop' };

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]) as WorkerArgs;
  const history = new HistoryWriter(args.historyFile);
  const targets = targetSet();
  let stopping = false;
  let ops = 0;
  const ctx: WorkerContext = {
    process: args.spec.name,
    topic: args.topic,
    partitions: args.partitions,
    history,
    requestTimeoutMs: args.requestTimeoutMs,
    stopping: () => stopping,
    target: () => targets.pick(() => stopping),
    nextOp: () => `${args.spec.name}:${ops++}`,
  };
  process.on('message', (m: ToWorker) => {
    if (m.type === 'targets') targets.set(m.urls);
    if (m.type === 'stop') stopping = true;
  });
  // The harness went away (it crashed or was killed): stop too.
  process.on('disconnect', () => {
    stopping = true;
    setTimeout(() => process.exit(2), args.requestTimeoutMs + 2_000).unref();
  });
  process.send?.({ type: 'ready' });
  if (args.spec.kind === 'producer') await runProducer(ctx, args.spec);
  else if (args.spec.kind === 'group') await runGroupMember(ctx, args.spec);
  else await runConsumer(ctx, args.spec);
  history.close();
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`worker failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
