/** Acknowledged order across processes (DESIGN.md invariant 2), from a run's values and observations. */
import { Tally, type Figure, type ValueInfo } from './checker-types';

/** Two events in different processes are ordered only when this far apart (clock reading jitter). */
const ORDER_MARGIN_MS = 1;

/**
 * Invariant 2: a value whose first attempt began after another value's acknowledgement (on the
 * same partition) is never at an offset at or below the acknowledged one.
 */
export function checkAckOrder(values: Map<string, ValueInfo>, offsetsOf: Map<string, Set<number>>): Figure {
  const tally = new Tally();
  const byPartition = new Map<number, { acks: Array<[number, number, string]>; starts: Array<[number, number, string]> }>();
  for (const info of values.values()) {
    let p = byPartition.get(info.partition);
    if (!p) byPartition.set(info.partition, (p = { acks: [], starts: [] }));
    for (const a of info.attempts) if (a.outcome === 'ok' && a.okTime !== undefined && a.offset !== undefined) p.acks.push([a.okTime, a.offset, info.value]);
    const offsets = offsetsOf.get(info.value);
    if (offsets && offsets.size > 0) p.starts.push([Math.min(...info.attempts.map((a) => a.invokeTime)), Math.min(...offsets), info.value]);
  }
  for (const [partition, { acks, starts }] of byPartition) {
    acks.sort((a, b) => a[0] - b[0]);
    starts.sort((a, b) => a[0] - b[0]);
    let i = 0;
    let maxOffset = -1;
    let maxValue = '';
    for (const [start, lowest, value] of starts) {
      while (i < acks.length && acks[i][0] + ORDER_MARGIN_MS < start) {
        if (acks[i][1] > maxOffset) [maxOffset, maxValue] = [acks[i][1], acks[i][2]];
        i += 1;
      }
      if (lowest <= maxOffset) {
        tally.add({ value, partition, offset: lowest, detail: `sent after ${maxValue} was acknowledged at offset ${maxOffset}, yet at offset ${lowest}` });
      }
    }
  }
  return tally.figure();
}
