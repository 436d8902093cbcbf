/**
 * Consumer-group end-to-end latency: from `producer.send()` to the consumer's `eachMessage`, with
 * the SDK on both ends and the local stack in its own process (as `npm start` runs it). Variants
 * run interleaved round-robin, so the noise of this shared machine hits them alike; each round
 * sends BENCH_MESSAGES messages per variant, one every BENCH_GAP_MS, to consumers that are already
 * joined and long-polling (steady state, not start-up).
 *
 *   npm run bench:consumer
 *   BENCH_ROUNDS=30 npm run bench:consumer
 *
 * Latency = Date.now() in eachMessage − Date.now() just before send() (one process, one clock).
 * "ack" is send() → its promise resolved (the produce call). Numbers are for the local stack
 * (s3rver + dynalite) on this machine, not AWS.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Streambed, type Consumer, type Producer } from '../lib/client';
import { spawnLocalStack } from '../test/helpers/local-stack-process';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20);
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 25);

interface Variant {
  readonly name: string;
  readonly partitions: number;
  readonly consumers: number;
  readonly lingerMs: number;
}

const VARIANTS: Variant[] = [
  { name: '1 consumer, 1 partition, linger 0', partitions: 1, consumers: 1, lingerMs: 0 },
  { name: '3 consumers, 6 partitions, linger 0', partitions: 6, consumers: 3, lingerMs: 0 },
  { name: '3 consumers, 6 partitions, linger 20', partitions: 6, consumers: 3, lingerMs: 20 },
];

interface Running {
  readonly variant: Variant;
  readonly topic: string;
  readonly producer: Producer;
  readonly consumers: Consumer[];
  readonly sentAt: Map<string, number>;
  readonly latencies: number[];
  readonly acks: number[];
  delivered: number;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setUp(streambed: Streambed, variant: Variant, index: number): Promise<Running> {
  const topic = `bench-latency-${index}-${Date.now().toString(36)}`;
  await streambed.admin().createTopic({ topic, numPartitions: variant.partitions });
  const running: Running = { variant, topic, producer: streambed.producer({ lingerMs: variant.lingerMs }), consumers: [], sentAt: new Map(), latencies: [], acks: [], delivered: 0 };
  for (let i = 0; i < variant.consumers; i++) {
    const consumer = streambed.consumer({ groupId: `${topic}-group`, sessionTimeoutMs: 30_000, heartbeatInterval: 3_000, maxWaitTimeInMs: 20_000 });
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const id = new TextDecoder().decode(message.value!);
        const at = running.sentAt.get(id);
        if (at === undefined) return;
        running.sentAt.delete(id);
        running.latencies.push(Date.now() - at);
        running.delivered++;
      },
    });
    running.consumers.push(consumer);
  }
  // Wait until the assignment has settled: every partition owned once.
  for (;;) {
    const owned = running.consumers.reduce((n, c) => n + c.assignment().length, 0);
    if (owned === variant.partitions && running.consumers.every((c) => c.assignment().length > 0)) break;
    await sleep(100);
  }
  return running;
}

async function round(r: Running, roundNo: number): Promise<void> {
  const target = r.delivered + MESSAGES;
  const sends: Promise<void>[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const id = `${roundNo}-${i}`;
    const t0 = Date.now();
    r.sentAt.set(id, t0);
    sends.push(r.producer.send({ topic: r.topic, messages: [{ key: `k${i}`, value: id }] }).then(() => void r.acks.push(Date.now() - t0)));
    await sleep(GAP_MS);
  }
  await Promise.all(sends);
  const deadline = Date.now() + 60_000;
  while (r.delivered < target && Date.now() < deadline) await sleep(10);
  if (r.delivered < target) throw new Error(`${r.variant.name}: ${target - r.delivered} messages not delivered within 60 s`);
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'streambed-bench-latency-'));
  const stack = await spawnLocalStack({ dataDir });
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  try {
    const streambed = new Streambed({ url: stack.url });
    const running: Running[] = [];
    for (const [i, v] of VARIANTS.entries()) running.push(await setUp(streambed, v, i));
    await Promise.all(running.map((r) => round(r, -1))); // warm-up, not counted
    for (const r of running) {
      r.latencies.length = 0;
      r.acks.length = 0;
    }
    for (let n = 0; n < ROUNDS; n++) for (const r of running) await round(r, n);

    const loadAfter = loadavg().map((l) => l.toFixed(2)).join(' ');
    process.stdout.write(
      `\nnode ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average before ${load}, after ${loadAfter}; ` +
        `${ROUNDS} rounds × ${MESSAGES} messages per variant, one every ${GAP_MS} ms; local stack in a child process\n\n`,
    );
    process.stdout.write('| variant | samples | ack p50 ms | e2e p50 ms | e2e p90 ms | e2e p99 ms | e2e max ms |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n');
    for (const r of running) {
      const l = r.latencies;
      process.stdout.write(
        `| ${r.variant.name} | ${l.length} | ${quantile(r.acks, 0.5)} | ${quantile(l, 0.5)} | ${quantile(l, 0.9)} | ${quantile(l, 0.99)} | ${Math.max(...l)} |\n`,
      );
    }
    for (const r of running) {
      await r.producer.disconnect();
      await Promise.all(r.consumers.map((c) => c.disconnect()));
    }
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
