/**
 * #/topics/{topic}: one row per partition — log start offset, high watermark, records retained and
 * an approximate payload size (the average of a sample of the partition's newest records × its
 * record count; docs/console.md says why it is an estimate).
 */
import { seg } from '../api';
import { h, route, table } from '../dom';
import { estimatePartitionBytes, formatBytes, type FetchedRecord } from '../format';
import type { PageContext } from '../page';
import type { TopicDescription } from './topics-page';

/** Records sampled per partition for the size estimate, and partitions sampled at most. */
export const SIZE_SAMPLE_RECORDS = 100;
const SIZE_SAMPLE_PARTITIONS = 64;

export async function topicPage(ctx: PageContext): Promise<HTMLElement> {
  const name = ctx.params[0];
  const d = await ctx.api.get<TopicDescription>(`/v1/topics/${seg(name)}`);
  const sizes = await Promise.all(
    d.partitions.map(async (p) => {
      if (p.partition >= SIZE_SAMPLE_PARTITIONS) return undefined;
      if (p.highWatermark === p.logStartOffset) return 0;
      const from = Math.max(p.logStartOffset, p.highWatermark - SIZE_SAMPLE_RECORDS);
      try {
        const page = await ctx.api.get<{ records: FetchedRecord[] }>(`/v1/topics/${seg(name)}/partitions/${p.partition}/records`, { offset: from, maxRecords: SIZE_SAMPLE_RECORDS, encoding: 'base64' });
        return estimatePartitionBytes(page.records, p.logStartOffset, p.highWatermark);
      } catch {
        return undefined; // e.g. retention moved the log start meanwhile: no estimate this time
      }
    }),
  );
  let total = 0;
  const rows = d.partitions.map((p, i) => {
    total += sizes[i] ?? 0;
    return [
      h('a', { href: route('topics', name, 'partitions', p.partition) }, String(p.partition)),
      h('span', { 'data-col': 'log-start' }, p.logStartOffset),
      h('span', { 'data-col': 'high-watermark' }, p.highWatermark),
      p.highWatermark - p.logStartOffset,
      h('span', { title: sizes[i] === undefined ? 'not sampled' : 'key + value + header bytes, estimated from a sample' }, `≈ ${formatBytes(sizes[i])}`),
      p.leaderEpoch,
      h('a', { href: route('topics', name, 'partitions', p.partition) }, 'browse records →'),
    ];
  });
  const config = Object.entries(d.config).map(([k, v]) => h('li', {}, h('code', {}, k), ` = ${String(v)}`));
  return h(
    'section',
    { 'data-page': 'topic' },
    h('p', { class: 'crumbs' }, h('a', { href: route('topics') }, 'Topics'), ' / ', name),
    h('h2', {}, `Topic ${name}`),
    h('p', {}, `${d.partitions.length} partitions, ≈ ${formatBytes(total)} of record payload (sampled).`),
    table(['partition', 'log start offset', 'high watermark', 'records', 'size (approx.)', 'leader epoch', ''], rows, { class: 'partitions' }),
    h('h3', {}, 'Config'),
    config.length ? h('ul', { class: 'config' }, ...config) : h('p', { class: 'muted' }, 'defaults'),
  );
}
