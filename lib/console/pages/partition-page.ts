/**
 * #/topics/{topic}/partitions/{p}?offset=&limit=&encoding=: the partition browser. Records by
 * offset, a page at a time (first / previous / next / latest), with keys, headers and values shown
 * as UTF-8 text or base64 (the API's `encoding`).
 */
import { seg } from '../api';
import { h, route, table } from '../dom';
import { clip, formatTimestamp, type FetchedRecord } from '../format';
import type { PageContext } from '../page';
import type { TopicDescription } from './topics-page';

interface FetchPage {
  records: FetchedRecord[];
  nextOffset: number;
  highWatermark: number;
  logStartOffset: number;
}

const LIMITS = [10, 20, 50, 100, 500];
/** Characters of a value shown in the table (the whole value is in the cell's title). */
const VALUE_CHARS = 2000;

export async function partitionPage(ctx: PageContext): Promise<HTMLElement> {
  const [topic, , partitionText] = ctx.params;
  const partition = Number(partitionText);
  const encoding = ctx.query.get('encoding') === 'base64' ? 'base64' : 'utf8';
  const limit = LIMITS.includes(Number(ctx.query.get('limit'))) ? Number(ctx.query.get('limit')) : 20;
  const d = await ctx.api.get<TopicDescription>(`/v1/topics/${seg(topic)}`);
  const p = d.partitions.find((x) => x.partition === partition);
  if (!p) throw new Error(`topic ${topic} has no partition ${partitionText}`);
  const asked = ctx.query.get('offset');
  let offset = asked !== null && /^\d+$/.test(asked) ? Number(asked) : p.logStartOffset;
  offset = Math.min(Math.max(offset, p.logStartOffset), p.highWatermark);
  const page = await ctx.api.get<FetchPage>(`/v1/topics/${seg(topic)}/partitions/${partition}/records`, { offset, maxRecords: limit, encoding });

  const here = (o: number, enc = encoding, lim = limit): string => `${route('topics', topic, 'partitions', partition)}?offset=${o}&limit=${lim}&encoding=${enc}`;
  const start = page.logStartOffset;
  const hw = page.highWatermark;
  const nav = h(
    'div',
    { class: 'toolbar' },
    h('a', { class: 'button', href: here(start), 'data-nav': 'first' }, '« first'),
    h('a', { class: 'button', href: here(Math.max(start, offset - limit)), 'data-nav': 'prev' }, '‹ previous'),
    h('a', { class: 'button', href: here(page.nextOffset), 'data-nav': 'next' }, 'next ›'),
    h('a', { class: 'button', href: here(Math.max(start, hw - limit)), 'data-nav': 'latest' }, 'latest »'),
    h(
      'form',
      {
        class: 'inline',
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          const input = (ev.target as HTMLFormElement).elements.namedItem('offset') as HTMLInputElement;
          ctx.go(here(Number(input.value) || 0));
        },
      },
      h('label', {}, 'offset ', h('input', { name: 'offset', type: 'number', min: 0, value: offset, size: 8 })),
      h('button', { type: 'submit' }, 'go'),
    ),
    h('span', { class: 'group' }, 'per page ', ...LIMITS.map((l) => h('a', { class: l === limit ? 'button on' : 'button', href: here(offset, encoding, l) }, String(l)))),
    h(
      'span',
      { class: 'group', role: 'radiogroup', 'aria-label': 'encoding' },
      'show as ',
      h('a', { class: encoding === 'utf8' ? 'button on' : 'button', href: here(offset, 'utf8'), 'data-encoding': 'utf8' }, 'utf8'),
      h('a', { class: encoding === 'base64' ? 'button on' : 'button', href: here(offset, 'base64'), 'data-encoding': 'base64' }, 'base64'),
    ),
  );
  const rows = page.records.map((r) => [
    h('span', { 'data-col': 'offset' }, r.offset),
    formatTimestamp(r.timestamp),
    r.key === null ? h('span', { class: 'null' }, 'null') : h('code', { 'data-col': 'key' }, clip(r.key, 200)),
    h('span', { 'data-col': 'headers' }, ...(r.headers ?? []).map((x) => h('span', { class: 'chip' }, `${x.key}=${x.value === null ? 'null' : clip(x.value, 100)}`))),
    r.value === null ? h('span', { class: 'null' }, 'null') : h('pre', { 'data-col': 'value', title: r.value.length > VALUE_CHARS ? clip(r.value, 20_000) : undefined }, clip(r.value, VALUE_CHARS)),
  ]);
  return h(
    'section',
    { 'data-page': 'partition' },
    h('p', { class: 'crumbs' }, h('a', { href: route('topics') }, 'Topics'), ' / ', h('a', { href: route('topics', topic) }, topic), ' / ', `partition ${partition}`),
    h('h2', {}, `${topic} — partition ${partition}`),
    h('p', {}, `Offsets ${start} … ${hw - 1 < start ? '(empty)' : hw - 1} retained (log start ${start}, high watermark ${hw}). Showing ${page.records.length} from offset ${offset}, as ${encoding}.`),
    nav,
    page.records.length === 0 ? h('p', { class: 'muted' }, 'No records at this offset: it is the high watermark.') : table(['offset', 'timestamp (UTC)', 'key', 'headers', 'value'], rows, { class: 'records' }),
  );
}
