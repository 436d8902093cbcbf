/**
 * Compaction benchmark: what merging small segments buys a reader. For each variant (appends of
 * N records of ~1 KiB), one partition is filled, read end to end as a consumer would (fetches of
 * up to 1 MiB), compacted by one maintenance run, and read again. Prints a markdown table of
 * segments per partition and S3 GETs per MB fetched, before and after.
 *
 *   npm run bench:compaction
 *   BENCH_SCALE=2 npm run bench:compaction     # twice the appends per variant
 *
 * GETs and their bytes are counted at the segment store (every S3 GetObject a read makes). Runs
 * in-process over the embedded emulators (s3rver + dynalite); times are for this machine only.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureResources } from '../lib/local/bootstrap';
import { startEmulators } from '../lib/local/emulators';
import { appendRecords, createTopic, leaderState, readRecords, recordSize } from '../lib/log';
import { maintenanceConfig, runMaintenance } from '../lib/log/maintenance';
import type { RecordInput } from '../lib/protocol';
import { createStorage, type Storage, type TopicItem } from '../lib/storage';
import { createClients, storageConfigFromEnv } from '../lib/storage/clients';
import { segmentPrefix } from '../lib/storage/schema';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const VALUE_BYTES = 1024;
const FETCH_BYTES = 1024 * 1024;

interface Variant {
  readonly name: string;
  readonly recordsPerAppend: number;
  readonly appends: number;
}

const VARIANTS: Variant[] = [
  { name: '1 record per append', recordsPerAppend: 1, appends: 1000 * SCALE },
  { name: '10 records per append', recordsPerAppend: 10, appends: 400 * SCALE },
  { name: '100 records per append', recordsPerAppend: 100, appends: 80 * SCALE },
];

interface ReadStats {
  gets: number;
  getBytes: number;
  fetchedBytes: number;
  fetches: number;
  ms: number;
}

function value(i: number): Buffer {
  const s = `{"i":${i},"user":"user-${i % 97}","items":[${Array.from({ length: 200 }, (_, j) => (i * 31 + j) % 1000).join(',')}]}`;
  return Buffer.from(s.padEnd(VALUE_BYTES, ' ').slice(0, VALUE_BYTES));
}

/** Reads the whole partition from the log start in fetches of up to 1 MiB, counting GETs. */
async function readThrough(storage: Storage, topic: TopicItem): Promise<ReadStats> {
  const stats: ReadStats = { gets: 0, getBytes: 0, fetchedBytes: 0, fetches: 0, ms: 0 };
  const counting: Storage = {
    ...storage,
    segments: Object.assign(Object.create(storage.segments) as Storage['segments'], {
      getSegment: async (key: string, range?: { start: number; end: number }) => {
        const bytes = await storage.segments.getSegment(key, range);
        stats.gets += 1;
        stats.getBytes += bytes.length;
        return bytes;
      },
    }),
  };
  const started = performance.now();
  const leader = await leaderState(storage, topic, 0);
  for (let offset = leader.logStartOffset; offset < leader.logEndOffset; ) {
    const res = await readRecords(counting, topic, 0, leader, offset, { maxRecords: 10_000, maxBytes: FETCH_BYTES });
    if (res.records.length === 0) throw new Error(`no records at ${offset}`);
    for (const r of res.records) stats.fetchedBytes += recordSize(r);
    stats.fetches += 1;
    offset = res.nextOffset;
  }
  stats.ms = performance.now() - started;
  return stats;
}

const perMb = (s: ReadStats): number => s.gets / (s.fetchedBytes / 2 ** 20);
const fmt = (n: number, digits = 1): string => n.toFixed(digits);

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'streambed-bench-compaction-'));
  const emulators = await startEmulators({ dataDir, s3Port: 0, dynamoPort: 0 });
  const clients = createClients(
    storageConfigFromEnv({ STREAMBED_S3_ENDPOINT: emulators.s3Endpoint, STREAMBED_DYNAMODB_ENDPOINT: emulators.dynamoEndpoint }),
  );
  const rows: string[] = [];
  try {
    await ensureResources(clients);
    const storage = createStorage(clients);
    for (const variant of VARIANTS) {
      const topic = await createTopic(storage, { name: `bench-compaction-${variant.recordsPerAppend}-${Date.now()}`, partitions: 1, config: { 'retention.ms': -1 } });
      let n = 0;
      for (let a = 0; a < variant.appends; a++) {
        const records: RecordInput[] = Array.from({ length: variant.recordsPerAppend }, () => ({ key: null, value: value(n++), headers: [], timestamp: Date.now() }));
        await appendRecords(storage, topic, 0, records);
      }
      const objects = async () => (await storage.segments.listSegments(segmentPrefix(topic.topicId, 0))).length;
      const segmentsBefore = await objects();
      const before = await readThrough(storage, topic);

      const started = performance.now();
      const report = await runMaintenance(
        storage,
        maintenanceConfig({ compactionMinAgeMs: 0, deletionDelayMs: 0, budgetMs: 30 * 60_000, log: () => {} }, {}),
      );
      const compactMs = performance.now() - started;
      if (report.errors > 0) throw new Error(`maintenance reported ${report.errors} errors`);
      const segmentsAfter = await objects();
      const after = await readThrough(storage, topic);
      if (after.fetchedBytes !== before.fetchedBytes) throw new Error('compaction changed what a full read returns');

      rows.push(
        `| ${variant.name} | ${n} | ${fmt(before.fetchedBytes / 2 ** 20)} | ${segmentsBefore} | ${segmentsAfter} | ` +
          `${fmt(perMb(before))} | ${fmt(perMb(after))} | ${fmt(perMb(before) / perMb(after), 0)}× | ` +
          `${fmt(before.getBytes / before.fetchedBytes, 2)} | ${fmt(after.getBytes / after.fetchedBytes, 2)} | ` +
          `${fmt(before.ms, 0)} | ${fmt(after.ms, 0)} | ${report.compaction.merges} | ${fmt(compactMs, 0)} |`,
      );
      process.stderr.write(`${variant.name}: done\n`);
    }
  } finally {
    clients.s3.destroy();
    clients.dynamo.destroy();
    await emulators.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  process.stdout.write(
    [
      `Compaction (target 8 MiB, segments < 1 MiB merged), ${VALUE_BYTES} B values, full read in fetches of ≤ 1 MiB; node ${process.version}`,
      '',
      '| variant | records | MiB fetched | segments before | segments after | GETs/MB before | GETs/MB after | GETs saved | S3 bytes/fetched before | S3 bytes/fetched after | full read ms before | full read ms after | merges | compaction ms |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
