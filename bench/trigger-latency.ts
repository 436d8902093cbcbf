/**
 * Trigger latency on the local stack: from the produce call to the trigger's handler receiving the
 * record, with the stack in its own process (as `npm start` runs it) and the dispatcher in-process
 * there, woken by the commit notifier (lib/log/notifier.ts). One record at a time, sequentially:
 * the next is produced once the previous reached the handler (steady state, dispatcher idle and
 * waiting). Variants: maximumBatchingWindowMs 0 (deliver at once) and the default 500.
 *
 *   npx tsx bench/trigger-latency.ts
 *   BENCH_SAMPLES=300 npx tsx bench/trigger-latency.ts
 *
 * "send → handler" = handler's Date.now() − Date.now() just before the produce request;
 * "ack → handler" = handler's Date.now() − the time the produce response (acks=all: committed and
 * indexed) arrived; negative when the handler ran before the response reached the producer.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnLocalStack } from '../test/helpers/local-stack-process';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 150);
const HANDLER = fileURLToPath(new URL('./fixtures/trigger-latency-handler.mjs', import.meta.url));
const VARIANTS = [
  { name: 'window 0 ms', topic: 'lat-w0', maximumBatchingWindowMs: 0 },
  { name: 'window 500 ms (default)', topic: 'lat-w500', maximumBatchingWindowMs: 500 },
];

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'streambed-bench-trigger-'));
  const config = join(dir, 'streambed.json');
  await writeFile(
    config,
    JSON.stringify({
      triggers: VARIANTS.map((v) => ({ name: v.topic, topic: v.topic, handler: `${relative(dir, HANDLER)}#handler`, startingPosition: 'LATEST', maximumBatchingWindowMs: v.maximumBatchingWindowMs })),
    }),
  );
  // One log file per variant: the handler module reads the path from its environment at call time,
  // so the variants share BENCH_TRIGGER_LOG and run one after the other.
  const stack = await spawnLocalStack({ dataDir: join(dir, 'data'), env: { STREAMBED_CONFIG: config, BENCH_TRIGGER_LOG: join(dir, 'all.jsonl') } });
  try {
    const post = (path: string, body: unknown) => fetch(stack.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    for (const v of VARIANTS) await post('/v1/topics', { name: v.topic, partitions: 1 });
    await new Promise((r) => setTimeout(r, 3000)); // the dispatchers find their topics (1 s poll) and start at LATEST
    const results: string[] = [];
    for (const v of VARIANTS) {
      const fromSend: number[] = [];
      const fromAck: number[] = [];
      const received = new Map<number, number>();
      let seenBytes = 0;
      for (let i = 0; i < SAMPLES + 5; i++) {
        const sent = Date.now();
        const res = await post(`/v1/topics/${v.topic}/records`, { records: [{ value: `m${i}`, partition: 0 }] });
        const acked = Date.now();
        const offset = ((await res.json()) as { records: Array<{ offset: number }> }).records[0].offset;
        for (let waited = 0; !received.has(offset); waited += 2) {
          if (waited > 30_000) throw new Error(`offset ${offset} of ${v.topic} never reached the handler`);
          await new Promise((r) => setTimeout(r, 2));
          const file = join(dir, 'all.jsonl');
          if (!existsSync(file)) continue;
          const text = await readFile(file, 'utf8');
          if (text.length === seenBytes) continue;
          const complete = text.slice(0, text.lastIndexOf('\n') + 1);
          for (const line of complete.slice(seenBytes).split('\n').filter(Boolean)) {
            const r = JSON.parse(line) as { offset: number; at: number };
            received.set(r.offset, r.at);
          }
          seenBytes = complete.length;
        }
        if (i < 5) continue; // warm-up
        fromSend.push(received.get(offset)! - sent);
        fromAck.push(received.get(offset)! - acked);
      }
      await writeFile(join(dir, 'all.jsonl'), '');
      seenBytes = 0;
      fromSend.sort((a, b) => a - b);
      fromAck.sort((a, b) => a - b);
      results.push(
        `| ${v.name} | ${SAMPLES} | ${pct(fromSend, 50)} | ${pct(fromSend, 99)} | ${fromSend[fromSend.length - 1]} | ${pct(fromAck, 50)} | ${pct(fromAck, 99)} |`,
      );
    }
    console.log(`node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log('| variant | samples | send → handler p50 ms | p99 ms | max ms | ack → handler p50 ms | p99 ms |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const line of results) console.log(line);
  } finally {
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
