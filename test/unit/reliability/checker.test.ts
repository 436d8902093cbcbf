/**
 * The reliability checker (test/reliability/checker.ts) on hand-made histories: a clean one, and
 * one per anomaly it must find. A checker that finds nothing would pass every run, so each
 * anomaly here must be reported, and with the right figure.
 */
import { describe, expect, it } from 'vitest';
import { check, violations } from '../../reliability/checker';
import { checkReads } from '../../reliability/checker-reads';
import type { ReadCompletion, ReadInvoke } from '../../reliability/history';
import { History, seg } from './history-builder';

const idem = (sequence: number, epoch = 0, id = 'P') => ({ producer: { id, epoch, sequence } });

describe('the reliability checker', () => {
  it('finds nothing in a clean history, and counts it', () => {
    const h = new History()
      .send('p1', 0, ['a', 'b'], 'ok', { offsets: [0, 1] })
      .send('p2', 0, ['c'], 'ok', { offsets: [2], ...idem(0) })
      .send('p1', 1, ['d'], 'fail', { code: 'INVALID_REQUEST' })
      .send('p1', 1, ['e'], 'info')
      .read('c1', 0, 0, [[0, 'a']], { hwm: 3 })
      .read('c1', 0, 1, [[1, 'b'], [2, 'c']], { hwm: 3 })
      .final(0, [[0, 'a'], [1, 'b'], [2, 'c']])
      .final(1, []);
    const r = check(h.events);
    expect(violations(r)).toEqual([]);
    expect(r).toMatchObject({ attempted: 5, acknowledged: 3, definitelyFailed: 1, indeterminate: 1, sendAttempts: 4, reads: 4, finalRecords: 3 });
    expect(r.duplicates.count).toBe(0);
  });

  it('reports an acknowledged value missing from its offset in the final read as lost', () => {
    const h = new History()
      .send('p1', 0, ['a'], 'ok', { offsets: [0] })
      .send('p1', 0, ['b'], 'ok', { offsets: [1] })
      .send('p1', 0, ['c'], 'ok', { offsets: [2] })
      .final(0, [[0, 'a'], [1, 'x']]);
    const r = check(h.events);
    expect(r.lost.count).toBe(2);
    expect(r.lost.examples.map((e) => e.value).sort()).toEqual(['b', 'c']);
    expect(violations(r)).toContain('acknowledged but lost');
  });

  it('does not count an offset retention removed as lost', () => {
    const h = new History()
      .send('p1', 0, ['a'], 'ok', { offsets: [0] })
      .send('p1', 0, ['b'], 'ok', { offsets: [1] })
      .final(0, [[1, 'b']], { start: 1 });
    const r = check(h.events);
    expect(r.lost.count).toBe(0);
    expect(r.removedByRetention).toBe(1);
  });

  it('expects duplicates of plain writes retried after an indeterminate attempt, and only those', () => {
    const retried = new History()
      .send('p1', 0, ['a'], 'info')
      .send('p1', 0, ['a'], 'ok', { offsets: [1] })
      .final(0, [[0, 'a'], [1, 'a']]);
    const r1 = check(retried.events);
    expect(r1.duplicatesAfterRetry.count).toBe(1);
    expect(violations(r1)).toEqual([]);

    const neverRetried = new History().send('p1', 0, ['a'], 'ok', { offsets: [1] }).final(0, [[0, 'a'], [1, 'a']]);
    const r2 = check(neverRetried.events);
    expect(r2.duplicatesUnexplained.count).toBe(1);
    expect(violations(r2)).toEqual(['duplicates of plain writes never retried']);
  });

  it('reports duplicates of idempotent writes, acknowledged or not', () => {
    const h = new History()
      .send('p1', 0, ['a'], 'info', idem(0))
      .send('p1', 0, ['a'], 'ok', { offsets: [0], ...idem(0) })
      .send('p1', 0, ['b'], 'info', idem(1))
      .final(0, [[0, 'a'], [1, 'b'], [2, 'a'], [3, 'b']]);
    const r = check(h.events);
    expect(r.duplicatesIdempotentAcked.count).toBe(1);
    expect(r.duplicatesIdempotentUnacked.count).toBe(1);
    expect(violations(r)).toEqual(['duplicates of acknowledged idempotent writes', 'duplicates of unacknowledged idempotent writes']);
  });

  it('reports an idempotent retry answered with other offsets than the original', () => {
    const h = new History()
      .send('p1', 0, ['a'], 'ok', { offsets: [0], ...idem(0) })
      .send('p1', 0, ['a'], 'ok', { offsets: [5], ...idem(0) })
      .final(0, [[0, 'a']]);
    const r = check(h.events);
    expect(r.idempotentOffsetMismatch.count).toBe(1);
  });

  it('reports two values seen at one offset', () => {
    const h = new History()
      .send('p1', 0, ['a'], 'info')
      .send('p2', 0, ['b'], 'info')
      .read('c1', 0, 0, [[0, 'a']])
      .read('c2', 0, 0, [[0, 'b']])
      .final(0, [[0, 'b']]);
    const r = check(h.events);
    expect(r.inconsistentOffsets.count).toBe(1);
    expect(r.inconsistentOffsets.examples[0]).toMatchObject({ partition: 0, offset: 0 });
  });

  it('reports an acknowledged offset that holds another value as inconsistent too', () => {
    const h = new History().send('p1', 0, ['a'], 'ok', { offsets: [0] }).send('p2', 0, ['b'], 'ok', { offsets: [0] }).final(0, [[0, 'a']]);
    const r = check(h.events);
    expect(r.inconsistentOffsets.count).toBe(1);
    expect(r.lost.count).toBe(1);
  });

  it('reports a read of a value whose every attempt was refused with a 4xx', () => {
    const h = new History()
      .send('p1', 0, ['a'], 'fail', { code: 'PRODUCER_FENCED' })
      .send('p1', 0, ['b'], 'fail', { code: 'OUT_OF_ORDER_SEQUENCE' })
      .send('p1', 0, ['b'], 'info')
      .final(0, [[0, 'a'], [1, 'b']]);
    const r = check(h.events);
    expect(r.readsOfFailedWrites.count).toBe(1);
    expect(r.readsOfFailedWrites.examples[0].value).toBe('a');
  });

  it('reports a read of a value nobody sent', () => {
    const h = new History().final(0, [[0, 'ghost']]);
    expect(check(h.events).readsOfUnknownValues.count).toBe(1);
  });

  it('reports reads out of order, with gaps, past the high watermark, or going backwards', () => {
    const h = new History()
      .send('p1', 0, ['a', 'b', 'c', 'd'], 'ok', { offsets: [0, 1, 2, 3] })
      .read('c1', 0, 0, [[1, 'b'], [0, 'a']], { hwm: 4, next: 5 }) // wrong start, out of order, bad nextOffset
      .read('c1', 0, 0, [[0, 'a'], [2, 'c']], { hwm: 4 }) // gap
      .read('c1', 0, 1, [], { hwm: 4 }) // nothing although below the high watermark
      .read('c1', 0, 3, [[3, 'd']], { hwm: 3 }) // at the high watermark it reported, which went backwards
      .final(0, [[0, 'a'], [1, 'b'], [2, 'c'], [3, 'd']]);
    const pairs = h.events.flatMap((e, i) => (e.type === 'invoke' && e.f === 'read' ? [[e, h.events[i + 1]] as [ReadInvoke, ReadCompletion]] : []));
    expect(checkReads(pairs).map((a) => a.kind)).toEqual(['wrong-start', 'out-of-order', 'next-offset', 'gap', 'gap', 'gap', 'hwm-backwards']);
    expect(check(h.events).reorderings.count).toBe(7);
  });

  it('reports a value sent after another was acknowledged but placed before it', () => {
    const h = new History()
      .send('p1', 0, ['a'], 'ok', { offsets: [5] })
      .wait(50)
      .send('p2', 0, ['b'], 'ok', { offsets: [3] })
      .final(0, [[3, 'b'], [5, 'a']]);
    const r = check(h.events);
    expect(r.orderViolations.count).toBe(1);
    expect(r.orderViolations.examples[0].value).toBe('b');
  });

  it('does not order writes that overlapped in time', () => {
    const h = new History();
    // b is invoked before a's acknowledgement: either order is fine.
    h.events.push(
      { type: 'invoke', f: 'send', op: 'x', process: 'p1', time: 1, partition: 0, values: ['a'] },
      { type: 'invoke', f: 'send', op: 'y', process: 'p2', time: 2, partition: 0, values: ['b'] },
      { type: 'ok', f: 'send', op: 'x', process: 'p1', time: 3, offsets: [1] },
      { type: 'ok', f: 'send', op: 'y', process: 'p2', time: 4, offsets: [0] },
    );
    h.final(0, [[0, 'b'], [1, 'a']]);
    expect(check(h.events).orderViolations.count).toBe(0);
  });

  it('reports a segment committed under a fenced leader epoch after the bump', () => {
    const h = new History()
      .send('p1', 0, ['a'], 'ok', { offsets: [0] })
      .bump(0, 1, 1)
      .send('p1', 0, ['b'], 'ok', { offsets: [1] })
      .send('z', 0, ['zombie'], 'info')
      .final(0, [[0, 'a'], [1, 'b'], [2, 'zombie']])
      .audit({ f: 'index', partition: 0, entries: [seg(0, 1, 'k0', 0), seg(1, 1, 'k1', 1), seg(2, 1, 'kz', 0)] });
    const r = check(h.events);
    expect(r.zombieWrites.count).toBe(1);
    expect(r.zombieWrites.examples[0]).toMatchObject({ partition: 0, offset: 2, value: 'zombie' });
  });

  it('accepts a commit under the old epoch that landed before the bump', () => {
    const h = new History()
      .send('p1', 0, ['a'], 'ok', { offsets: [0] })
      .bump(0, 1, 1)
      .final(0, [[0, 'a']])
      .audit({ f: 'index', partition: 0, entries: [seg(0, 1, 'k0', 0)] });
    expect(check(h.events).zombieWrites.count).toBe(0);
  });

  it('reports a write of an older idempotent producer epoch after a newer one', () => {
    const h = new History()
      .send('old', 0, ['o1'], 'ok', { offsets: [0], ...idem(0, 0, 'X') })
      .send('new', 0, ['n1'], 'ok', { offsets: [1], ...idem(0, 1, 'X') })
      .send('old', 0, ['o2'], 'info', idem(1, 0, 'X'))
      .final(0, [[0, 'o1'], [1, 'n1'], [2, 'o2']]);
    const r = check(h.events);
    expect(r.zombieWrites.count).toBe(1);
    expect(r.zombieWrites.examples[0].value).toBe('o2');
  });

  it('reports index entries whose object is gone, and orphan objects', () => {
    const h = new History()
      .send('p1', 0, ['a'], 'ok', { offsets: [0] })
      .send('p1', 0, ['b'], 'ok', { offsets: [1] })
      .final(0, [[0, 'a'], [1, 'b']])
      .audit({ f: 'gc', ran: true })
      .audit({ f: 'objects', keys: ['segments/t/0/k0', 'segments/t/0/orphan'] })
      .audit({ f: 'index', partition: 0, entries: [seg(0, 1, 'segments/t/0/k0'), seg(1, 1, 'segments/t/0/k1')] })
      .audit({ f: 'leader', partition: 0, logStartOffset: 0, logEndOffset: 2, leaderEpoch: 0, lastCommit: seg(1, 1, 'segments/t/0/k1') });
    const r = check(h.events);
    expect(r.referencedDeleted?.count).toBe(1);
    expect(r.orphans?.count).toBe(1);
    expect(r.orphans?.examples[0]).toMatchObject({ partition: 0, detail: 'segments/t/0/orphan' });
    expect(r.gcRan).toBe(true);
    expect(violations(r)).toEqual(['referenced objects deleted']);
  });

  it('does not count a missing object below the log start offset as referenced', () => {
    const h = new History()
      .audit({ f: 'objects', keys: [] })
      .audit({ f: 'index', partition: 0, entries: [seg(0, 1, 'segments/t/0/k0')] })
      .audit({ f: 'leader', partition: 0, logStartOffset: 1, logEndOffset: 1, leaderEpoch: 0 });
    expect(check(h.events).referencedDeleted?.count).toBe(0);
  });

  it('reports every failed final read', () => {
    const h = new History().send('p1', 0, ['a'], 'ok', { offsets: [0] });
    h.events.push(
      { type: 'invoke', f: 'read', op: 'f', process: 'final', time: 5_000, partition: 0, offset: 0 },
      { type: 'info', f: 'read', op: 'f', process: 'final', time: 5_001, status: 503, code: 'UNAVAILABLE', final: true },
    );
    const r = check(h.events);
    expect(r.finalReadErrors.count).toBe(1);
    expect(r.lost.count).toBe(1);
  });
});
