/**
 * `streambed produce <topic>`: one message per stdin line through the SDK producer, which batches
 * per partition (`--linger-ms`, `--batch-bytes`), so a big stdin goes out in few large produce
 * calls. Lines are handed to the producer in chunks with a bounded number of chunks unacknowledged,
 * so memory stays flat for any input size. Offsets print in input order (`--print-offsets`), else
 * one summary line.
 */
import { createInterface } from 'node:readline';
import { Command, Option } from 'commander';
import type { Message, RecordMetadata } from '../../client';
import { connect, type GlobalOptions } from '../context';
import { nonNegativeInt, positiveInt, unescapeSeparator } from '../options';
import { writeLine } from '../output';
import { parseLine, type LineFormat } from '../stdin-records';

const CHUNK = 500;
const MAX_UNACKED_CHUNKS = 16;

interface ProduceOptions {
  keySeparator?: string;
  json?: boolean;
  partition?: number;
  lingerMs: number;
  batchBytes: number;
  acks: 'all' | 'none';
  idempotent?: boolean;
  printOffsets?: boolean;
}

export function produceCommand(): Command {
  return new Command('produce')
    .description('produce stdin to a topic, one record per line')
    .argument('<topic>')
    .option('-K, --key-separator <sep>', "lines are key<sep>value (e.g. '\\t' for a TAB); a line without it is an error")
    .option('--json', 'each line is a JSON record {"key", "value", "headers", "partition", "timestamp"}')
    .option('--partition <n>', 'send every record to this partition (else the key decides, as Kafka does)', nonNegativeInt)
    .option('--linger-ms <ms>', 'how long a partition batch waits for more records', nonNegativeInt, 10)
    .option('--batch-bytes <bytes>', 'a partition batch is sent once it holds this many bytes', positiveInt, 1024 * 1024)
    .addOption(new Option('--acks <acks>', 'all: wait until durable; none: fire and forget').choices(['all', 'none']).default('all'))
    .option('--idempotent', 'idempotent producer: a retried call is appended once')
    .option('--print-offsets', 'print "<partition>\\t<offset>" per record, in input order (the summary goes to stderr)')
    .addHelpText(
      'after',
      `
Examples:
  printf 'a\\nb\\n' | streambed produce orders
  printf 'user-1\\thello\\n' | streambed produce orders --key-separator '\\t'
  echo '{"key":"user-1","value":{"total":12},"headers":{"source":"cli"}}' | streambed produce orders --json`,
    )
    .action(async (topic: string, opts: ProduceOptions, cmd: Command) => {
      const format: LineFormat = opts.json ? { kind: 'json' } : opts.keySeparator !== undefined ? { kind: 'keyed', separator: unescapeSeparator(opts.keySeparator) } : { kind: 'value' };
      const producer = connect(cmd.optsWithGlobals<GlobalOptions>()).producer({
        lingerMs: opts.lingerMs,
        batchBytes: opts.batchBytes,
        acks: opts.acks,
        idempotent: opts.idempotent,
      });
      const started = Date.now();
      const perPartition = new Map<number, { first: number; last: number; count: number }>();
      let produced = 0;
      const unacked: Promise<RecordMetadata[]>[] = [];
      const settle = async (): Promise<void> => {
        const metadata = await unacked.shift()!;
        for (const m of metadata) {
          produced++;
          if (m.offset === undefined) continue;
          const p = perPartition.get(m.partition);
          if (p) Object.assign(p, { first: Math.min(p.first, m.offset), last: Math.max(p.last, m.offset), count: p.count + 1 });
          else perPartition.set(m.partition, { first: m.offset, last: m.offset, count: 1 });
          if (opts.printOffsets) await writeLine(`${m.partition}\t${m.offset}`);
        }
      };
      try {
        let chunk: Message[] = [];
        let lineNumber = 0;
        const flushChunk = async (): Promise<void> => {
          if (chunk.length === 0) return;
          const sent = producer.send({ topic, messages: chunk });
          sent.catch(() => {}); // observed in settle(); avoid an unhandled rejection meanwhile
          unacked.push(sent);
          chunk = [];
          while (unacked.length >= MAX_UNACKED_CHUNKS) await settle();
        };
        for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
          lineNumber++;
          const message = parseLine(line, lineNumber, format);
          if (message === undefined) continue;
          if (opts.partition !== undefined) message.partition = opts.partition;
          chunk.push(message);
          if (chunk.length >= CHUNK) await flushChunk();
        }
        await flushChunk();
        while (unacked.length > 0) await settle();
      } finally {
        await Promise.allSettled(unacked);
        await producer.disconnect().catch(() => {});
      }
      const seconds = (Date.now() - started) / 1000;
      const where = [...perPartition.entries()].sort(([a], [b]) => a - b).map(([p, r]) => `partition ${p}: ${r.count} (offsets ${r.first}-${r.last})`);
      const summary = `Produced ${produced} record${produced === 1 ? '' : 's'} to ${topic} in ${seconds.toFixed(2)} s${opts.acks === 'none' ? ' (acks=none: accepted, offsets unknown)' : ''}${where.length ? `; ${where.join(', ')}` : ''}`;
      if (opts.printOffsets) process.stderr.write(`${summary}\n`);
      else await writeLine(summary);
    });
}
