/**
 * `streambed consume <topic>`: prints records. Without `--group` it reads partitions by offset
 * (groupless-reader.ts, nothing committed); with `--group` it is a member of that consumer group
 * (the SDK consumer: server-side assignment, commits on exit, so `groups describe` shows its lag).
 * Without `--follow` it stops once it has read up to the high watermarks seen at start (or after
 * `--max-messages`); with `--follow` it waits for new records until Ctrl-C.
 */
import { Command } from 'commander';
import type { KafkaMessage, TopicDescription } from '../../client';
import { connect, type GlobalOptions } from '../context';
import { UsageError } from '../errors';
import { readPartitions } from '../groupless-reader';
import { readAsGroup } from '../group-reader';
import { nonNegativeInt, positiveInt, unescapeSeparator } from '../options';
import { writeLine } from '../output';
import { formatRecord, type RecordFormat } from '../record-format';

interface ConsumeOptions {
  follow?: boolean;
  group?: string;
  fromBeginning?: boolean;
  partition?: number;
  offset?: number;
  maxMessages?: number;
  printKey?: boolean;
  keySeparator: string;
  json?: boolean;
}

export function consumeCommand(): Command {
  return new Command('consume')
    .description('print records of a topic')
    .argument('<topic>')
    .option('-f, --follow', 'keep waiting for new records (until Ctrl-C); default: stop at the end of the log')
    .option('-g, --group <id>', 'consume as a member of this consumer group (commits its progress)')
    .option('--from-beginning', 'start at the earliest retained offset where there is no committed offset (default: the end)')
    .option('-p, --partition <n>', 'read only this partition (without --group)', nonNegativeInt)
    .option('-o, --offset <n>', 'start at this offset (needs --partition)', nonNegativeInt)
    .option('-n, --max-messages <n>', 'stop after this many records', positiveInt)
    .option('--print-key', 'print key<separator>value')
    .option('--key-separator <sep>', 'separator for --print-key', '\\t')
    .option('--json', 'one JSON object per record: {"topic","partition","offset","timestamp","key","value","headers"}')
    .addHelpText(
      'after',
      `
Examples:
  streambed consume orders --from-beginning --max-messages 10
  streambed consume orders --partition 0 --offset 42 --json
  streambed consume orders --group billing --from-beginning --follow --print-key`,
    )
    .action(async (topic: string, opts: ConsumeOptions, cmd: Command) => {
      if (opts.offset !== undefined && opts.partition === undefined) throw new UsageError('--offset needs --partition');
      if (opts.partition !== undefined && opts.group !== undefined) throw new UsageError('--partition reads without a group; drop --group or --partition');
      if (opts.offset !== undefined && opts.fromBeginning) throw new UsageError('--offset and --from-beginning both set where to start; pick one');
      const format: RecordFormat = opts.json ? { kind: 'json' } : opts.printKey ? { kind: 'keyed', separator: unescapeSeparator(opts.keySeparator) } : { kind: 'value' };
      const streambed = connect(cmd.optsWithGlobals<GlobalOptions>());
      const admin = streambed.admin();
      const description = await admin.describeTopic(topic);
      if (opts.partition !== undefined && !description.partitions.some((p) => p.partition === opts.partition)) {
        throw new UsageError(`topic ${topic} has no partition ${opts.partition} (it has ${description.partitions.length})`);
      }
      const print = (partition: number, m: KafkaMessage): Promise<void> => writeLine(formatRecord(topic, partition, m, format));

      const abort = new AbortController();
      const onSignal = (): void => abort.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        if (opts.group !== undefined) {
          await readAsGroup(streambed, admin, { topic, group: opts.group, description, fromBeginning: opts.fromBeginning ?? false, follow: opts.follow ?? false, maxMessages: opts.maxMessages }, print, abort.signal);
        } else {
          const { starts, ends } = groupless(description, opts);
          await readPartitions(admin, { topic, starts, ends, follow: opts.follow ?? false, maxMessages: opts.maxMessages }, print, abort.signal);
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

function groupless(d: TopicDescription, opts: ConsumeOptions): { starts: Map<number, number>; ends: Map<number, number> } {
  const starts = new Map<number, number>();
  const ends = new Map<number, number>();
  for (const p of d.partitions) {
    if (opts.partition !== undefined && p.partition !== opts.partition) continue;
    starts.set(p.partition, opts.offset ?? (opts.fromBeginning ? p.logStartOffset : p.highWatermark));
    ends.set(p.partition, p.highWatermark);
  }
  return { starts, ends };
}
