/**
 * What observability and the request limits cost per request, in-process (no storage): the
 * request observation with Powertools EMF output (one flush per request, as on Lambda), the
 * in-memory aggregation of the local stack, log redaction, and the JSON nesting scan of a
 * 6 MiB produce body. Variants run interleaved; prints a markdown table of per-operation medians.
 *
 *   npx tsx bench/observability-overhead.ts
 */
import { Writable } from 'node:stream';
import { Console } from 'node:console';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { exceedsJsonDepth } from '../lib/api/json-depth';
import { JsonLogger } from '../lib/observability/json-logger';
import { MemoryTelemetry } from '../lib/observability/memory-telemetry';
import { METRICS_NAMESPACE } from '../lib/observability/metrics';
import { EmfMetrics } from '../lib/observability/powertools-telemetry';
import { redact } from '../lib/observability/redact';
import { observeRequest, requestMetrics } from '../lib/observability/request-observation';
import type { Telemetry } from '../lib/observability/telemetry';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const PER_ROUND = 2_000;

let emfBytes = 0;
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    emfBytes += chunk.length;
    done();
  },
});
const emf = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'streambed' });
(emf as unknown as { console: Console }).console = new Console({ stdout: sink, stderr: sink });
const quiet = new JsonLogger({ level: 'warn', write: () => {} });
const lambda: Telemetry = { logger: quiet, metrics: new EmfMetrics(emf) };
const local = new MemoryTelemetry(quiet);

async function produceLike(t: Telemetry): Promise<void> {
  await observeRequest(
    t,
    { role: 'produce', requestId: 'r', method: 'POST', path: '/v1/topics/orders/records' },
    async (o) => {
      o.setOperation('produce');
      requestMetrics().add('RecordsIn', 100);
      requestMetrics().add('BytesIn', 102_400);
      return { status: 200 };
    },
    (r) => r,
  );
}

const body = JSON.stringify({ records: Array.from({ length: 5_000 }, (_, i) => ({ key: `k${i}`, value: 'x'.repeat(1_200) })) });
const bodyBytes = Buffer.from(body); // what jsonBody scans: the request's bytes
/** The scan's worst shape: nothing but short strings (one indexOf each). */
const manyStrings = Buffer.from(`[${'"a",'.repeat(1_500_000)}"a"]`);
const fields = { requestId: 'abc', role: 'produce', operation: 'produce', status: 200, authorization: 'Basic x', error: new Error('Basic dXNlcjpwYXNz failed') };

const variants: Record<string, { perRound: number; run: () => Promise<void> | void }> = {
  'request observation + EMF flush (Lambda)': { perRound: PER_ROUND, run: () => produceLike(lambda) },
  'request observation, in-memory (local)': { perRound: PER_ROUND, run: () => produceLike(local) },
  'redact() of a request log line': { perRound: PER_ROUND, run: () => void redact(fields) },
  [`JSON depth scan of a ${(body.length / 2 ** 20).toFixed(1)} MiB body`]: { perRound: 3, run: () => void exceedsJsonDepth(bodyBytes) },
  [`JSON.parse of the same body (for scale)`]: { perRound: 3, run: () => void JSON.parse(body) },
  [`JSON depth scan of ${(manyStrings.length / 2 ** 20).toFixed(1)} MiB of 1.5 M short strings (worst case)`]: { perRound: 3, run: () => void exceedsJsonDepth(manyStrings) },
  ['JSON.parse of the same strings (for scale)']: { perRound: 3, run: () => void JSON.parse(manyStrings.toString()) },
};

const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, v] of Object.entries(variants)) {
    const start = performance.now();
    for (let i = 0; i < v.perRound; i++) await v.run();
    samples[name].push(((performance.now() - start) * 1000) / v.perRound);
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`node ${process.version}, ${ROUNDS} rounds, interleaved; EMF bytes per request: ${Math.round(emfBytes / (ROUNDS * PER_ROUND))}\n`);
console.log('| operation | median µs per op |\n| --- | ---: |');
for (const [name, xs] of Object.entries(samples)) console.log(`| ${name} | ${median(xs).toFixed(1)} |`);
