/** `streambed topics create|list|describe|delete`: the admin client's topic calls, printed as tables or JSON. */
import { Command } from 'commander';
import { StreambedClientError } from '../../client';
import { connect, type GlobalOptions } from '../context';
import { configEntry, positiveInt } from '../options';
import { json, table, writeLine } from '../output';

export function topicsCommand(): Command {
  const topics = new Command('topics').description('create, list, describe and delete topics');

  topics
    .command('create')
    .description('create a topic')
    .argument('<topic>', 'topic name ([a-zA-Z0-9._-]{1,249})')
    .option('-p, --partitions <n>', 'partition count (1-1024)', positiveInt, 1)
    .option('-c, --config <key=value>', 'topic config, repeatable: retention.ms, retention.bytes, max.message.bytes, compression.type', configEntry)
    .option('--if-not-exists', 'succeed when the topic already exists')
    .addHelpText('after', '\nExample:\n  streambed topics create orders --partitions 3 --config retention.ms=86400000 --config compression.type=zstd')
    .action(async (name: string, opts: { partitions: number; config?: Record<string, string | number>; ifNotExists?: boolean }, cmd: Command) => {
      const admin = connect(cmd.optsWithGlobals<GlobalOptions>()).admin();
      try {
        const created = await admin.createTopic({ topic: name, numPartitions: opts.partitions, config: opts.config });
        await writeLine(`Created topic ${created.name} with ${created.partitions} partition${created.partitions === 1 ? '' : 's'}`);
      } catch (err) {
        if (opts.ifNotExists && err instanceof StreambedClientError && err.code === 'TOPIC_ALREADY_EXISTS') {
          await writeLine(`Topic ${name} already exists`);
          return;
        }
        throw err;
      }
    });

  topics
    .command('list')
    .alias('ls')
    .description('list topics with their partition counts')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const admin = connect(cmd.optsWithGlobals<GlobalOptions>()).admin();
      const meta = await admin.fetchTopicMetadata();
      const rows = meta.topics.map((t) => ({ name: t.name, partitions: t.partitions.length })).sort((a, b) => a.name.localeCompare(b.name));
      if (opts.json) return writeLine(json({ topics: rows }));
      if (rows.length === 0) return writeLine('(no topics)');
      await writeLine(table(['TOPIC', 'PARTITIONS'], rows.map((r) => [r.name, r.partitions])));
    });

  topics
    .command('describe')
    .description("a topic's config and, per partition, log start offset, high watermark and leader epoch")
    .argument('<topic>')
    .option('--json', 'print JSON (GET /v1/topics/{topic} as is)')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
      const admin = connect(cmd.optsWithGlobals<GlobalOptions>()).admin();
      const d = await admin.describeTopic(name);
      if (opts.json) return writeLine(json(d));
      const records = d.partitions.reduce((sum, p) => sum + p.highWatermark - p.logStartOffset, 0);
      const lines = [`Topic: ${d.name}  partitions: ${d.partitions.length}  retained records: ${records}`];
      lines.push(`Config: ${Object.entries(d.config).map(([k, v]) => `${k}=${v}`).join('  ') || '(defaults)'}`);
      lines.push(
        table(
          ['PARTITION', 'LOG-START-OFFSET', 'HIGH-WATERMARK', 'RECORDS', 'LEADER-EPOCH'],
          d.partitions.map((p) => [p.partition, p.logStartOffset, p.highWatermark, p.highWatermark - p.logStartOffset, p.leaderEpoch]),
        ),
      );
      await writeLine(lines.join('\n'));
    });

  topics
    .command('delete')
    .alias('rm')
    .description('delete a topic and its data')
    .argument('<topic>')
    .option('--if-exists', 'succeed when the topic does not exist')
    .action(async (name: string, opts: { ifExists?: boolean }, cmd: Command) => {
      const admin = connect(cmd.optsWithGlobals<GlobalOptions>()).admin();
      try {
        await admin.deleteTopics({ topics: [name] });
        await writeLine(`Deleted topic ${name}`);
      } catch (err) {
        if (opts.ifExists && err instanceof StreambedClientError && err.code === 'UNKNOWN_TOPIC_OR_PARTITION') {
          await writeLine(`Topic ${name} does not exist`);
          return;
        }
        throw err;
      }
    });

  return topics;
}
