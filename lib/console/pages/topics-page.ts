/** #/topics: every topic with its partitions' log start offsets and high watermarks. */
import { seg } from '../api';
import { h, route, table } from '../dom';
import type { PageContext } from '../page';

interface TopicList {
  topics: { name: string; partitions: number }[];
}
export interface TopicDescription {
  name: string;
  config: Record<string, unknown>;
  partitions: { partition: number; logStartOffset: number; highWatermark: number; leaderEpoch: number }[];
}

/** Topics described at once. */
const CONCURRENCY = 4;

export async function topicsPage(ctx: PageContext): Promise<HTMLElement> {
  const { topics } = await ctx.api.get<TopicList>('/v1/topics');
  topics.sort((a, b) => (a.name < b.name ? -1 : 1));
  const described = new Map<string, TopicDescription | Error>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < topics.length) {
      const t = topics[next++];
      described.set(t.name, await ctx.api.get<TopicDescription>(`/v1/topics/${seg(t.name)}`).catch((e: Error) => e));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, topics.length) }, worker));

  const rows = topics.map((t) => {
    const d = described.get(t.name);
    if (!d || d instanceof Error) return [h('a', { href: route('topics', t.name) }, t.name), t.partitions, '—', '—', d instanceof Error ? d.message : ''];
    const records = d.partitions.reduce((n, p) => n + p.highWatermark - p.logStartOffset, 0);
    const marks = d.partitions.map((p) => h('a', { class: 'chip', href: route('topics', t.name, 'partitions', p.partition), title: `partition ${p.partition}: log start ${p.logStartOffset}, high watermark ${p.highWatermark}` }, `${p.partition}: ${p.logStartOffset}…${p.highWatermark}`));
    return [h('a', { href: route('topics', t.name), 'data-topic': t.name }, t.name), t.partitions, records, h('span', { class: 'chips' }, ...marks), ''];
  });
  return h(
    'section',
    { 'data-page': 'topics' },
    h('h2', {}, `Topics (${topics.length})`),
    topics.length === 0 ? h('p', { class: 'muted' }, 'No topics yet: create one with POST /v1/topics or the CLI.') : table(['topic', 'partitions', 'records retained', 'partition: log start … high watermark', ''], rows, { class: 'topics' }),
  );
}
