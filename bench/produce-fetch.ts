/**
 * Produce/fetch benchmark against the local stack (embedded emulators), variants interleaved
 * round-robin in one run so machine noise hits them alike. Prints a markdown table of medians.
 *
 *   npm run bench                      # defaults
 *   BENCH_ROUNDS=40 npm run bench      # more rounds
 *   BENCH_URL=http://127.0.0.1:8080 npm run bench   # against a stack that is already running
 *
 * Numbers are for the local stack (s3rver + dynalite in one Node process on this machine), not
 * AWS: they compare variants (batch sizes, compression) with each other, nothing more.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const VALUE_BYTES = Number(process.env.BENCH_VALUE_BYTES ?? 1024);

interface Variant {
  name: string;
  records: number;
  compression: string;
}

const VARIANTS: Variant[] = [
  { name: '1 record', records: 1, compression: 'none' },
  { name: '10 records', records: 10, compression: 'none' },
  { name: '100 records', records: 100, compression: 'none' },
  { name: '1000 records', records: 1000, compression: 'none' },
  { name: '1000 records gzip', records: 1000, compression: 'gzip' },
  { name: '1000 records zstd', records: 1000, compression: 'zstd' },
  { name: '1000 records lz4', records: 1000, compression: 'lz4' },
];

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

async function call(url: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(url + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = res.status === 204 ? {} : await res.json();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const WORDS = 'order user item price total status shipped pending paid cart sku region eu us apac mobile web store coupon refund note gift warehouse carrier express standard return review rating stock color size red blue green small large medium'.split(' ');

/** Event-like JSON values of about VALUE_BYTES, from a seeded PRNG: compressible the way real events are. */
function payload(n: number, round: number): { records: Array<{ key: string; value: string }> } {
  let seed = (round + 7) * 2654435761;
  const next = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed;
  };
  return {
    records: Array.from({ length: n }, (_, i) => {
      const parts: string[] = [];
      let len = 0;
      while (len < VALUE_BYTES - 60) {
        const w = `"${WORDS[next() % WORDS.length]}":${next() % 100000}`;
        parts.push(w);
        len += w.length + 1;
      }
      return { key: `user-${i % 97}`, value: `{"round":${round},"i":${i},${parts.join(',')}}` };
    }),
  };
}

async function main(): Promise<void> {
  let url = process.env.BENCH_URL;
  let stop: (() => Promise<void>) | undefined;
  let dataDir: string | undefined;
  let storedBytes: ((topic: string) => Promise<number>) | undefined;
  if (!url) {
    dataDir = await mkdtemp(join(tmpdir(), 'streambed-bench-'));
    const { startLocalStack } = await import('../lib/local/stack');
    const stack = await startLocalStack({ port: 0, dataDir, s3Port: 0, dynamoPort: 0 });
    url = stack.url;
    stop = () => stack.stop();
    const { createClients } = await import('../lib/storage/clients');
    const { createStorage } = await import('../lib/storage');
    const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const clients = createClients(stack.config);
    const storage = createStorage(clients);
    storedBytes = async (topic) => {
      const item = await storage.topics.get(topic);
      let total = 0;
      let startAfter: string | undefined;
      for (;;) {
        const page = await clients.s3.send(new ListObjectsV2Command({ Bucket: stack.config.bucket, Prefix: `segments/${item!.topicId}/`, StartAfter: startAfter }));
        const objects = page.Contents ?? [];
        if (objects.length === 0) return total;
        for (const o of objects) total += o.Size ?? 0;
        startAfter = objects[objects.length - 1].Key;
      }
    };
  }
  const run = Date.now().toString(36);
  const topics = new Map<string, string>();
  for (const v of VARIANTS) {
    const name = `bench-${run}-${v.name.replace(/\W+/g, '-')}`;
    await call(url, 'POST', '/v1/topics', { name, partitions: 1, config: { 'compression.type': v.compression } });
    topics.set(v.name, name);
  }
  const produceMs = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
  const fetchMs = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
  // Warm-up: one request per variant, not measured.
  for (const v of VARIANTS) await call(url, 'POST', `/v1/topics/${topics.get(v.name)}/records`, payload(v.records, -1));
  for (let round = 0; round < ROUNDS; round++) {
    for (const v of VARIANTS) {
      const topic = topics.get(v.name)!;
      const body = payload(v.records, round);
      let t = performance.now();
      const res = await call(url, 'POST', `/v1/topics/${topic}/records`, body);
      produceMs.get(v.name)!.push(performance.now() - t);
      const first = res.records[0].offset;
      t = performance.now();
      const got = await call(url, 'GET', `/v1/topics/${topic}/partitions/0/records?offset=${first}&maxRecords=${v.records}&maxBytes=3145728`);
      fetchMs.get(v.name)!.push(performance.now() - t);
      if (got.records.length !== v.records) throw new Error(`${v.name}: fetched ${got.records.length} of ${v.records}`);
    }
    process.stderr.write(`\rround ${round + 1}/${ROUNDS}`);
  }
  process.stderr.write('\n');
  const base = quantile(produceMs.get('1 record')!, 0.5);
  console.log(`| variant (${VALUE_BYTES} B values) | produce p50 ms | produce p90 ms | records/s at p50 | fetch p50 ms | produce p50 vs 1 record | S3 bytes per record |`);
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const v of VARIANTS) {
    const p = produceMs.get(v.name)!;
    const f = fetchMs.get(v.name)!;
    const p50 = quantile(p, 0.5);
    const perRecord = storedBytes ? ((await storedBytes(topics.get(v.name)!)) / ((ROUNDS + 1) * v.records)).toFixed(0) : 'n/a';
    console.log(
      `| ${v.name} | ${p50.toFixed(1)} | ${quantile(p, 0.9).toFixed(1)} | ${Math.round((v.records / p50) * 1000)} | ${quantile(f, 0.5).toFixed(1)} | ${(p50 / base).toFixed(2)}× | ${perRecord} |`,
    );
  }
  console.log(`\n${ROUNDS} rounds, variants interleaved; node ${process.version}; ${new Date().toISOString()}`);
  await stop?.();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
