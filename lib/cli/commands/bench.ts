/**
 * `streambed bench`: a producer then a consumer performance run (kafka-producer-perf-test and
 * kafka-consumer-perf-test in one). Without `--topic` it creates a scratch topic and deletes it
 * afterwards. Progress goes to stderr (a live bar on a TTY, periodic lines otherwise); the summary
 * goes to stdout (`--json` for machines).
 */
import { Command, Option } from 'commander';
import { connect, type GlobalOptions } from '../context';
import { UsageError } from '../errors';
import { runConsumePhase, runProducePhase, type PhaseResult } from '../bench-run';
import { nonNegativeInt, positiveInt } from '../options';
import { json, writeLine } from '../output';

interface BenchOptions {
  topic?: string;
  partitions: number;
  records: number;
  recordSize: number;
  throughput?: number;
  batch: number;
  linger: number;
  acks: 'all' | 'none';
  mode: 'both' | 'produce' | 'consume';
  fetchMaxBytes: number;
  reportInterval: number;
  keep?: boolean;
  json?: boolean;
}

export function benchCommand(): Command {
  return new Command('bench')
    .description('measure produce and consume throughput and latency (like kafka-producer-perf-test / kafka-consumer-perf-test)')
    .option('-t, --topic <topic>', 'an existing topic to use (default: a scratch topic, deleted afterwards)')
    .option('--partitions <n>', 'partitions of the scratch topic', positiveInt, 3)
    .option('-r, --records <n>', 'records to produce', positiveInt, 10_000)
    .option('-s, --record-size <bytes>', 'value size of each record', positiveInt, 100)
    .option('--throughput <n>', 'limit produce to n records/s (default: no limit)', positiveInt)
    .option('--batch <bytes>', "producer batch size per partition (batchBytes)", positiveInt, 1024 * 1024)
    .option('--linger <ms>', 'producer linger (lingerMs)', nonNegativeInt, 10)
    .addOption(new Option('--acks <acks>', 'produce acks').choices(['all', 'none']).default('all'))
    .addOption(new Option('--mode <mode>', 'which phases to run').choices(['both', 'produce', 'consume']).default('both'))
    .option('--fetch-max-bytes <bytes>', 'maxBytes of each consume fetch', positiveInt, 4 * 1024 * 1024)
    .option('--report-interval <ms>', 'how often progress lines are printed when stderr is not a terminal', positiveInt, 5_000)
    .option('--keep', 'keep the scratch topic')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      `
--mode consume reads what the topic holds now (needs --topic). Latency: produce = send() to
acknowledgement of each record; consume = each fetch call. Numbers from the local stack measure
the emulators on this machine, not AWS.

Example:
  streambed bench --records 100000 --record-size 512 --throughput 20000 --linger 20`,
    )
    .action(async (opts: BenchOptions, cmd: Command) => {
      const streambed = connect(cmd.optsWithGlobals<GlobalOptions>());
      const admin = streambed.admin();
      if (opts.mode === 'consume' && opts.topic === undefined) {
        throw new UsageError('--mode consume needs --topic');
      }
      if (opts.acks === 'none' && opts.mode === 'both') {
        throw new UsageError('--acks none gives no offsets to read back; use it with --mode produce');
      }
      const scratch = opts.topic === undefined;
      const topic = opts.topic ?? `bench-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
      if (scratch) await admin.createTopic({ topic, numPartitions: opts.partitions });
      const progress = { tty: Boolean(process.stderr.isTTY), intervalMs: opts.reportInterval };
      const summary: { topic: string; produce?: PhaseResult; consume?: PhaseResult } = { topic };
      try {
        const before = await admin.describeTopic(topic);
        if (opts.mode !== 'consume') {
          summary.produce = await runProducePhase(streambed, {
            topic,
            records: opts.records,
            recordSize: opts.recordSize,
            throughput: opts.throughput,
            batchBytes: opts.batch,
            lingerMs: opts.linger,
            acks: opts.acks,
            progress,
          });
        }
        if (opts.mode !== 'produce') {
          const after = await admin.describeTopic(topic);
          const from = new Map(before.partitions.map((p) => [p.partition, opts.mode === 'consume' ? p.logStartOffset : p.highWatermark]));
          const ranges = new Map(after.partitions.map((p) => [p.partition, { from: Math.max(from.get(p.partition) ?? 0, p.logStartOffset), to: p.highWatermark }]));
          summary.consume = await runConsumePhase(streambed, { topic, ranges, maxBytes: opts.fetchMaxBytes, progress });
        }
      } finally {
        if (scratch && !opts.keep) await admin.deleteTopics({ topics: [topic] }).catch(() => {});
      }
      if (opts.json) return writeLine(json(summary));
      const lines = [`topic ${topic}${scratch && !opts.keep ? ' (scratch, deleted)' : ''}`];
      if (summary.produce) lines.push(`produce: ${describe(summary.produce)}`);
      if (summary.consume) lines.push(`consume: ${describe(summary.consume)} (latency per fetch)`);
      await writeLine(lines.join('\n'));
    });
}

function describe(r: PhaseResult): string {
  const l = r.latency;
  return (
    `${r.records} records, ${(r.bytes / 1e6).toFixed(2)} MB in ${r.seconds.toFixed(2)} s: ${r.recordsPerSec.toFixed(1)} records/s, ${r.mbPerSec.toFixed(2)} MB/s; ` +
    `latency avg ${l.avgMs.toFixed(1)} ms, p50 ${l.p50Ms.toFixed(1)} ms, p95 ${l.p95Ms.toFixed(1)} ms, p99 ${l.p99Ms.toFixed(1)} ms, max ${l.maxMs.toFixed(1)} ms`
  );
}
