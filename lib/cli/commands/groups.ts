/**
 * `streambed groups list|describe <group>`: groups with their generation and live members, and a
 * group's committed offset, high watermark and lag per partition with totals per topic and overall.
 * The API reports offsets per (group, topic), so `describe` without `--topic` asks for every topic
 * and shows those where the group has a committed offset.
 */
import { Command } from 'commander';
import { StreambedClientError, type Admin, type GroupPartitionOffset } from '../../client';
import { connect, type GlobalOptions } from '../context';
import { json, table, writeLine } from '../output';

export function groupsCommand(): Command {
  const groups = new Command('groups').description('list consumer groups and show their lag');

  groups
    .command('list')
    .alias('ls')
    .description('every group with members or committed offsets (trigger groups included)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const admin = connect(cmd.optsWithGlobals<GlobalOptions>()).admin();
      const { groups: list } = await admin.listGroups();
      const rows = [...list].sort((a, b) => a.groupId.localeCompare(b.groupId));
      if (opts.json) return writeLine(json({ groups: rows.map((g) => ({ group: g.groupId, generation: g.generation, members: g.members })) }));
      if (rows.length === 0) return writeLine('(no groups)');
      await writeLine(table(['GROUP', 'GENERATION', 'MEMBERS'], rows.map((g) => [g.groupId, g.generation, g.members])));
    });

  groups
    .command('describe')
    .description("a group's members, and per partition its committed offset, the high watermark and the lag")
    .argument('<group>')
    .option('-t, --topic <topic>', 'only this topic (also shows partitions without a commit)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nLag of a partition = high watermark − committed offset (without a commit: high watermark − log start offset).')
    .action(async (group: string, opts: { topic?: string; json?: boolean }, cmd: Command) => {
      const admin = connect(cmd.optsWithGlobals<GlobalOptions>()).admin();
      const [overview, topics] = await Promise.all([admin.describeGroups([group]), topicsOf(admin, group, opts.topic)]);
      const g = overview.groups[0];
      const totalLag = topics.reduce((sum, t) => sum + t.lag, 0);
      if (opts.json) {
        return writeLine(json({ group, generation: g?.generation ?? null, members: g?.members ?? 0, totalLag, topics }));
      }
      const lines = [`Group: ${group}  generation: ${g?.generation ?? '-'}  members: ${g?.members ?? 0}  total lag: ${totalLag}`];
      if (topics.length === 0) lines.push(`(no committed offsets${opts.topic ? ` on ${opts.topic}` : ''})`);
      const rows: (string | number)[][] = [];
      for (const t of topics) {
        for (const p of t.partitions) rows.push([t.topic, String(p.partition), p.offset === null ? '-' : String(p.offset), String(p.highWatermark), String(p.lag)]);
        rows.push([t.topic, 'total', '', '', String(t.lag)]);
      }
      if (rows.length > 0) lines.push(table(['TOPIC', 'PARTITION', 'COMMITTED', 'HIGH-WATERMARK', 'LAG'], rows));
      await writeLine(lines.join('\n'));
    });

  return groups;
}

interface TopicLag {
  topic: string;
  lag: number;
  partitions: GroupPartitionOffset[];
}

async function topicsOf(admin: Admin, group: string, only?: string): Promise<TopicLag[]> {
  const names = only !== undefined ? [only] : (await admin.listTopics()).sort();
  const all = await Promise.all(
    names.map(async (topic) => {
      const partitions = (
        await admin.groupLag(group, topic).catch((err: unknown) => {
          // a topic deleted since it was listed: nothing to show for it (a named --topic still fails)
          if (only === undefined && err instanceof StreambedClientError && err.code === 'UNKNOWN_TOPIC_OR_PARTITION') return [];
          throw err;
        })
      ).sort((a, b) => a.partition - b.partition);
      return { topic, lag: partitions.reduce((sum, p) => sum + p.lag, 0), partitions };
    }),
  );
  return only !== undefined ? all : all.filter((t) => t.partitions.some((p) => p.offset !== null));
}
