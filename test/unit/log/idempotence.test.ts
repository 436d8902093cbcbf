import { describe, expect, it } from 'vitest';
import { StreambedError } from '../../../lib/errors';
import { checkProducer, expiredProducers, MAX_PRODUCERS, PRODUCER_EXPIRATION_MS, RECENT_BATCHES } from '../../../lib/log/idempotence';
import type { LeaderRecord, ProducerState } from '../../../lib/storage';

const NOW = 1_800_000_000_000;

function leader(producers: Record<string, ProducerState> = {}): LeaderRecord {
  return { topicId: 't', partition: 0, logStartOffset: 0, logEndOffset: 100, leaderEpoch: 0, producers, updatedAt: 0 };
}

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as StreambedError).code;
  }
  return undefined;
}

/** Applies verdicts as the commit would, to walk a producer through a history. */
function commit(l: LeaderRecord, id: string, epoch: number, sequence: number, count: number): LeaderRecord {
  const v = checkProducer(l, { id, epoch, sequence }, count, NOW);
  if (v.kind !== 'append') throw new Error('expected append');
  const u = v.update(l.logEndOffset);
  const producers = { ...l.producers, [id]: u.state };
  for (const x of u.expire) delete producers[x];
  return { ...l, logEndOffset: l.logEndOffset + count, producers };
}

describe('idempotent producer state', () => {
  it('starts a new producer at sequence 0 and advances by the record count', () => {
    let l = leader();
    expect(code(() => checkProducer(l, { id: 'p', epoch: 0, sequence: 1 }, 1, NOW))).toBe('OUT_OF_ORDER_SEQUENCE');
    l = commit(l, 'p', 0, 0, 3);
    expect(l.producers!.p).toMatchObject({ epoch: 0, nextSequence: 3, recent: [{ sequence: 0, count: 3, baseOffset: 100 }] });
    l = commit(l, 'p', 0, 3, 2);
    expect(l.producers!.p.nextSequence).toBe(5);
  });

  it('answers a retry of a remembered batch with its original offsets', () => {
    let l = commit(leader(), 'p', 0, 0, 3);
    l = commit(l, 'p', 0, 3, 2);
    expect(checkProducer(l, { id: 'p', epoch: 0, sequence: 0 }, 3, NOW)).toEqual({ kind: 'duplicate', baseOffset: 100 });
    expect(checkProducer(l, { id: 'p', epoch: 0, sequence: 3 }, 2, NOW)).toEqual({ kind: 'duplicate', baseOffset: 103 });
    expect(code(() => checkProducer(l, { id: 'p', epoch: 0, sequence: 3 }, 4, NOW))).toBe('OUT_OF_ORDER_SEQUENCE');
  });

  it('refuses gaps and batches too old to remember', () => {
    let l = leader();
    for (let i = 0; i < RECENT_BATCHES + 2; i++) l = commit(l, 'p', 0, i, 1);
    expect(code(() => checkProducer(l, { id: 'p', epoch: 0, sequence: RECENT_BATCHES + 3 }, 1, NOW))).toBe('OUT_OF_ORDER_SEQUENCE');
    expect(code(() => checkProducer(l, { id: 'p', epoch: 0, sequence: 0 }, 1, NOW))).toBe('OUT_OF_ORDER_SEQUENCE');
    expect(checkProducer(l, { id: 'p', epoch: 0, sequence: 2 }, 1, NOW).kind).toBe('duplicate');
  });

  it('checks the epoch before the sequence: older is fenced, newer restarts at 0', () => {
    let l = commit(leader(), 'p', 3, 0, 5);
    expect(code(() => checkProducer(l, { id: 'p', epoch: 2, sequence: 5 }, 1, NOW))).toBe('PRODUCER_FENCED');
    expect(code(() => checkProducer(l, { id: 'p', epoch: 2, sequence: 0 }, 5, NOW))).toBe('PRODUCER_FENCED');
    expect(code(() => checkProducer(l, { id: 'p', epoch: 4, sequence: 5 }, 1, NOW))).toBe('OUT_OF_ORDER_SEQUENCE');
    l = commit(l, 'p', 4, 0, 1);
    expect(l.producers!.p).toMatchObject({ epoch: 4, nextSequence: 1, recent: [{ sequence: 0, count: 1 }] });
    expect(code(() => checkProducer(l, { id: 'p', epoch: 3, sequence: 5 }, 1, NOW))).toBe('PRODUCER_FENCED');
  });

  it('keeps producers apart', () => {
    let l = commit(leader(), 'a', 0, 0, 1);
    l = commit(l, 'b', 0, 0, 1);
    expect(checkProducer(l, { id: 'a', epoch: 0, sequence: 0 }, 1, NOW)).toEqual({ kind: 'duplicate', baseOffset: 100 });
    expect(checkProducer(l, { id: 'b', epoch: 0, sequence: 0 }, 1, NOW)).toEqual({ kind: 'duplicate', baseOffset: 101 });
  });

  it('forgets expired producers and the least recently seen beyond the cap', () => {
    const st = (lastSeen: number): ProducerState => ({ epoch: 0, nextSequence: 1, recent: [], lastSeen });
    const producers: Record<string, ProducerState> = { old: st(NOW - PRODUCER_EXPIRATION_MS - 1), fresh: st(NOW - 1000) };
    expect(expiredProducers(producers, 'x', NOW)).toEqual(['old']);
    const many: Record<string, ProducerState> = {};
    for (let i = 0; i < MAX_PRODUCERS; i++) many[`p${i}`] = st(NOW - MAX_PRODUCERS + i);
    expect(expiredProducers(many, 'new', NOW)).toEqual(['p0']);
    expect(expiredProducers(many, 'p0', NOW)).toEqual([]); // already counted among the cap
  });
});
