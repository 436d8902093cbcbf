/**
 * #/groups/{group}: committed offsets and lag per partition, sampled every 2 s while the page is
 * open (GET /v1/groups/{group}/offsets, every topic the group has commits for) and drawn as an
 * SVG line chart. The history lives in the page: leaving it or reloading starts a new chart.
 */
import { seg } from '../api';
import { h, route, table } from '../dom';
import { renderLagChart } from '../lag-chart';
import { LagHistory } from '../lag-history';
import type { PageContext } from '../page';

interface OffsetRow {
  topic: string;
  partition: number;
  offset: number | null;
  metadata: string | null;
  highWatermark: number;
  lag: number;
}

export const SAMPLE_MS = 2000;

export async function groupPage(ctx: PageContext): Promise<HTMLElement> {
  const group = ctx.params[0];
  const history = new LagHistory();
  const chart = h('div', { class: 'chart' });
  const status = h('p', { class: 'muted', 'data-status': '' });
  const rowsBox = h('div', {});
  const total = h('strong', { 'data-total-lag': '' });

  const sample = async (): Promise<void> => {
    try {
      const { offsets } = await ctx.api.get<{ offsets: OffsetRow[] }>(`/v1/groups/${seg(group)}/offsets`);
      const now = Date.now();
      history.add(now, offsets);
      total.textContent = String(offsets.reduce((n, r) => n + r.lag, 0));
      rowsBox.replaceChildren(
        offsets.length === 0
          ? h('p', { class: 'muted' }, 'This group has no committed offsets yet.')
          : table(
              ['topic', 'partition', 'committed offset', 'high watermark', 'lag', 'metadata'],
              offsets.map((r) => [
                h('a', { href: route('topics', r.topic) }, r.topic),
                h('a', { href: `${route('topics', r.topic, 'partitions', r.partition)}?offset=${r.offset ?? 0}` }, String(r.partition)),
                r.offset === null ? h('span', { class: 'null' }, 'none') : r.offset,
                r.highWatermark,
                h('span', { 'data-col': 'lag' }, r.lag),
                r.metadata ?? '',
              ]),
              { class: 'lag' },
            ),
      );
      chart.innerHTML = renderLagChart(history.all());
      status.textContent = `${history.samples()} samples, every ${SAMPLE_MS / 1000} s; last at ${new Date(now).toISOString().slice(11, 19)} UTC`;
    } catch (err) {
      status.textContent = `sampling failed: ${(err as Error).message} (retrying)`;
    }
  };
  await sample();
  ctx.every(SAMPLE_MS, sample);
  return h(
    'section',
    { 'data-page': 'group' },
    h('p', { class: 'crumbs' }, h('a', { href: route('groups') }, 'Groups'), ' / ', group),
    h('h2', {}, `Group ${group}`),
    h('p', {}, 'Total lag: ', total, ' records.'),
    h('h3', {}, 'Lag over time'),
    chart,
    status,
    h('h3', {}, 'Partitions'),
    rowsBox,
  );
}
