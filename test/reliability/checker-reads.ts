/**
 * Read-side anomalies (DESIGN.md invariants 2 and 3), one fetch at a time and per reader process:
 * - `out-of-order`: offsets in one response not strictly increasing by one;
 * - `wrong-start`: the first record is not at the requested offset (nor at the log start, when the
 *   requested offset was below it);
 * - `gap`: no record although the requested offset is below the high watermark, or a record at or
 *   beyond the high watermark the same response reported;
 * - `next-offset`: `nextOffset` is not the offset after the last record;
 * - `hwm-backwards`: a reader saw a partition's high watermark (or log start offset) decrease.
 */
import type { ReadCompletion, ReadInvoke } from './history';

export interface ReadAnomaly {
  readonly kind: 'out-of-order' | 'wrong-start' | 'gap' | 'next-offset' | 'hwm-backwards';
  readonly op: string;
  readonly process: string;
  readonly partition: number;
  readonly offset: number;
  readonly detail: string;
}

export function checkReads(pairs: ReadonlyArray<readonly [ReadInvoke, ReadCompletion]>): ReadAnomaly[] {
  const out: ReadAnomaly[] = [];
  for (const [inv, done] of pairs) {
    if (done.type !== 'ok') continue;
    const records = done.records ?? [];
    const hwm = done.highWatermark ?? Infinity;
    const start = done.logStartOffset ?? 0;
    const base = { op: inv.op, process: inv.process, partition: inv.partition };
    if (records.length === 0) {
      if (inv.offset < hwm) out.push({ ...base, kind: 'gap', offset: inv.offset, detail: `empty response at offset ${inv.offset} below high watermark ${hwm}` });
      if (done.nextOffset !== undefined && done.nextOffset !== inv.offset) {
        out.push({ ...base, kind: 'next-offset', offset: inv.offset, detail: `empty response with nextOffset ${done.nextOffset}` });
      }
      continue;
    }
    const first = records[0][0];
    const expectedFirst = Math.max(inv.offset, start);
    if (first !== expectedFirst) {
      out.push({ ...base, kind: 'wrong-start', offset: first, detail: `asked for ${inv.offset} (log start ${start}), got ${first} first` });
    }
    for (let i = 1; i < records.length; i++) {
      const [prev, cur] = [records[i - 1][0], records[i][0]];
      if (cur !== prev + 1) {
        out.push({ ...base, kind: cur > prev + 1 ? 'gap' : 'out-of-order', offset: cur, detail: `offset ${cur} follows ${prev}` });
      }
    }
    const last = records[records.length - 1][0];
    if (last >= hwm) out.push({ ...base, kind: 'gap', offset: last, detail: `record at ${last}, at or beyond the high watermark ${hwm} of the same response` });
    if (done.nextOffset !== undefined && done.nextOffset !== last + 1) {
      out.push({ ...base, kind: 'next-offset', offset: last, detail: `nextOffset ${done.nextOffset} after last record ${last}` });
    }
  }

  // Monotonic reads per reader and partition, in completion order.
  const byReader = new Map<string, Array<readonly [ReadInvoke, ReadCompletion]>>();
  for (const pair of pairs) {
    if (pair[1].type !== 'ok' || pair[1].highWatermark === undefined) continue;
    const key = `${pair[0].process}#${pair[0].partition}`;
    const list = byReader.get(key);
    if (list) list.push(pair);
    else byReader.set(key, [pair]);
  }
  for (const list of byReader.values()) {
    list.sort((a, b) => a[1].time - b[1].time);
    let hwm = -1;
    let start = -1;
    for (const [inv, done] of list) {
      const h = done.highWatermark ?? -1;
      const s = done.logStartOffset ?? -1;
      if (h < hwm || s < start) {
        out.push({
          kind: 'hwm-backwards',
          op: inv.op,
          process: inv.process,
          partition: inv.partition,
          offset: h,
          detail: `high watermark ${hwm} → ${h}, log start ${start} → ${s}`,
        });
      }
      hwm = Math.max(hwm, h);
      start = Math.max(start, s);
    }
  }
  return out;
}
