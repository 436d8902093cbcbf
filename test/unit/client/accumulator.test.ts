/** The record accumulator's logic on its own: when batches are due, what one call takes, muting. */
import { describe, expect, it } from 'vitest';
import { RecordAccumulator } from '../../../lib/client/accumulator';
import type { PendingRecord } from '../../../lib/client/produce-request';

const rec = (topic: string, partition: number, bytes = 10, value = 'v'): PendingRecord => ({ topic, partition, message: { value }, bytes, resolve: () => {}, reject: () => {} });

describe('record accumulator', () => {
  it('holds a batch until linger passes, and reports when it falls due', () => {
    const acc = new RecordAccumulator({ lingerMs: 20, batchBytes: 1000 });
    acc.append(rec('t', 0), 1000);
    expect(acc.take(1010, false, 1e6)).toBeUndefined();
    expect(acc.nextDueAt()).toBe(1020);
    expect(acc.take(1020, false, 1e6)?.records).toHaveLength(1);
  });

  it('makes a full batch due at once, and takes every unmuted batch of its topic with it', () => {
    const acc = new RecordAccumulator({ lingerMs: 60_000, batchBytes: 25 });
    acc.append(rec('t', 1), 0);
    acc.append(rec('u', 0), 0);
    expect(acc.append(rec('t', 0), 0)).toBe(false);
    expect(acc.append(rec('t', 0), 0)).toBe(false);
    expect(acc.append(rec('t', 0), 0)).toBe(true); // 30 bytes ≥ 25
    const taken = acc.take(1, false, 1e6)!;
    expect(taken.topic).toBe('t');
    expect(taken.partitions).toEqual([0, 1]);
    expect(taken.records.map((r) => r.partition)).toEqual([0, 0, 0, 1]);
    expect(acc.size()).toBe(1); // topic u waits for its own linger
  });

  it('mutes the partitions of a call in flight until released, then lets their new records go', () => {
    const acc = new RecordAccumulator({ lingerMs: 0, batchBytes: 1000 });
    acc.append(rec('t', 0, 10, 'a'), 0);
    const first = acc.take(0, false, 1e6)!;
    acc.append(rec('t', 0, 10, 'b'), 1);
    expect(acc.take(5, true, 1e6)).toBeUndefined(); // even a flush waits for the call in flight
    expect(acc.isMuted('t', 0)).toBe(true);
    acc.release('t', first.partitions);
    expect(acc.take(5, false, 1e6)!.records.map((r) => r.message.value)).toEqual(['b']);
  });

  it('takes about maxBytes per call (at least one record) and keeps the rest due, in order', () => {
    const acc = new RecordAccumulator({ lingerMs: 0, batchBytes: 1e9 });
    for (let i = 0; i < 5; i++) acc.append(rec('t', 0, 40, `m${i}`), 0);
    const one = acc.take(0, false, 100)!;
    expect(one.records.map((r) => r.message.value)).toEqual(['m0', 'm1']);
    acc.putBack(one.records.slice(1), 0);
    acc.release('t', one.partitions);
    const two = acc.take(0, false, 1e6)!;
    expect(two.records.map((r) => r.message.value)).toEqual(['m1', 'm2', 'm3', 'm4']);
    const big = new RecordAccumulator({ lingerMs: 0, batchBytes: 1e9 });
    big.append(rec('t', 0, 500), 0);
    expect(big.take(0, false, 100)!.records).toHaveLength(1);
  });
});
