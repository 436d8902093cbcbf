import { describe, expect, it } from 'vitest';
import { assignPartitions, movedPartitions, type Assignment, type AssignorMember } from '../../../lib/groups/assignor';
import type { TopicPartition } from '../../../lib/groups/types';

const members = (n: number, topics: string[], prefix = 'm'): AssignorMember[] =>
  Array.from({ length: n }, (_, i) => ({ memberId: `${prefix}${String(i).padStart(3, '0')}`, topics }));

const counts = (a: Assignment): number[] => Object.values(a).map((l) => l.length);

/** Every partition of the subscribed existing topics has exactly one owner, who is subscribed to it. */
function expectValid(a: Assignment, ms: readonly AssignorMember[], partitionCounts: Record<string, number>): void {
  const owners = new Map<string, string[]>();
  const subscribed = new Map(ms.map((m) => [m.memberId, new Set(m.topics)]));
  for (const [memberId, list] of Object.entries(a)) {
    for (const tp of list) {
      expect(subscribed.get(memberId)!.has(tp.topic), `${memberId} owns ${tp.topic}/${tp.partition} without subscribing`).toBe(true);
      const k = `${tp.topic}/${tp.partition}`;
      owners.set(k, [...(owners.get(k) ?? []), memberId]);
    }
  }
  const union = new Set(ms.flatMap((m) => m.topics));
  const expected = [...union].flatMap((t) => Array.from({ length: partitionCounts[t] ?? 0 }, (_, p) => `${t}/${p}`)).sort();
  expect([...owners.keys()].sort()).toEqual(expected);
  for (const [k, o] of owners) expect(o, `owners of ${k}`).toHaveLength(1);
  expect(Object.keys(a).sort()).toEqual([...new Set(ms.map((m) => m.memberId))].sort());
}

/** Members with the same subscription own counts that differ by at most one. */
function expectBalanced(a: Assignment, ms: readonly AssignorMember[]): void {
  const bySubscription = new Map<string, number[]>();
  for (const m of ms) {
    const k = [...m.topics].sort().join(',');
    bySubscription.set(k, [...(bySubscription.get(k) ?? []), a[m.memberId].length]);
  }
  for (const [k, c] of bySubscription) expect(Math.max(...c) - Math.min(...c), `counts of members subscribed to ${k}: ${c}`).toBeLessThanOrEqual(1);
}

/** The fewest partitions any balanced assignment must move (same subscription for everyone). */
function minimalMoves(previous: Assignment, nextMembers: string[], total: number): number {
  const survivors = nextMembers.map((id) => previous[id]?.filter((tp) => tp.partition < total).length ?? 0).sort((x, y) => y - x);
  const q = Math.floor(total / nextMembers.length);
  const r = total % nextMembers.length;
  // The r members allowed q+1 are best the ones that held most.
  const kept = survivors.reduce((sum, c, i) => sum + Math.min(c, i < r ? q + 1 : q), 0);
  const ownedBefore = Object.entries(previous).reduce((sum, [, l]) => sum + l.filter((tp) => tp.partition < total).length, 0);
  return ownedBefore - kept;
}

describe('assignPartitions', () => {
  it('gives every partition exactly one owner and balances equal subscriptions', () => {
    for (const n of [1, 2, 3, 5, 7, 16]) {
      for (const p of [0, 1, 3, 12, 13, 64]) {
        const ms = members(n, ['orders']);
        const a = assignPartitions({ members: ms, partitionCounts: { orders: p } });
        expectValid(a, ms, { orders: p });
        expectBalanced(a, ms);
      }
    }
  });

  it('gives nothing for topics that do not exist and no member at all no assignment', () => {
    const ms = members(2, ['missing']);
    expect(assignPartitions({ members: ms, partitionCounts: {} })).toEqual({ m000: [], m001: [] });
    expect(assignPartitions({ members: [], partitionCounts: { orders: 3 } })).toEqual({});
  });

  it('returns each member its partitions sorted by topic then partition', () => {
    const a = assignPartitions({ members: members(1, ['b', 'a']), partitionCounts: { a: 2, b: 2 } });
    expect(a.m000).toEqual([
      { topic: 'a', partition: 0 },
      { topic: 'a', partition: 1 },
      { topic: 'b', partition: 0 },
      { topic: 'b', partition: 1 },
    ]);
  });

  it('adding a 4th member to 3 holding 12 partitions moves exactly 3', () => {
    const three = members(3, ['orders']);
    const before = assignPartitions({ members: three, partitionCounts: { orders: 12 } });
    expect(counts(before)).toEqual([4, 4, 4]);
    const four = members(4, ['orders']);
    const after = assignPartitions({ members: four, partitionCounts: { orders: 12 }, previous: before });
    expectValid(after, four, { orders: 12 });
    expect(counts(after)).toEqual([3, 3, 3, 3]);
    expect(movedPartitions(before, after)).toHaveLength(3);
    // The three moved partitions are exactly what the new member got.
    expect(movedPartitions(before, after)).toEqual(after.m003);
  });

  it('removing one of 4 members moves only that member’s partitions', () => {
    const four = members(4, ['orders']);
    const before = assignPartitions({ members: four, partitionCounts: { orders: 12 } });
    const three = four.filter((m) => m.memberId !== 'm001');
    const after = assignPartitions({ members: three, partitionCounts: { orders: 12 }, previous: before });
    expectValid(after, three, { orders: 12 });
    expect(movedPartitions(before, after)).toEqual(before.m001);
    for (const id of ['m000', 'm002', 'm003']) expect(after[id]).toEqual(expect.arrayContaining(before[id]));
  });

  it('moves nothing when nothing changed, and nothing when partitions are added', () => {
    const ms = members(3, ['orders']);
    const before = assignPartitions({ members: ms, partitionCounts: { orders: 12 } });
    expect(assignPartitions({ members: ms, partitionCounts: { orders: 12 }, previous: before })).toEqual(before);
    const grown = assignPartitions({ members: ms, partitionCounts: { orders: 16 }, previous: before });
    expectValid(grown, ms, { orders: 16 });
    expectBalanced(grown, ms);
    expect(movedPartitions(before, grown)).toHaveLength(0);
  });

  it('a member that unsubscribes from a topic gives up only that topic', () => {
    const ms = members(2, ['a', 'b']);
    const before = assignPartitions({ members: ms, partitionCounts: { a: 4, b: 4 } });
    const changed = [ms[0], { memberId: 'm001', topics: ['b'] }];
    const after = assignPartitions({ members: changed, partitionCounts: { a: 4, b: 4 }, previous: before });
    expectValid(after, changed, { a: 4, b: 4 });
    expect(after.m001.every((tp) => tp.topic === 'b')).toBe(true);
    const moved = movedPartitions(before, after);
    // m001 must give up its 2 partitions of a; then m000 (6) gives 2 of b to m001 (2) to even the
    // load: 4 moves, the fewest that end at 4 and 4.
    expect(moved.filter((tp) => tp.topic === 'a')).toEqual(before.m001.filter((tp) => tp.topic === 'a'));
    expect(moved).toHaveLength(4);
    expect(counts(after)).toEqual([4, 4]);
  });

  it('with different subscriptions, members only get topics they subscribed to and balance where they can', () => {
    const ms: AssignorMember[] = [
      { memberId: 'a', topics: ['x'] },
      { memberId: 'b', topics: ['x', 'y'] },
      { memberId: 'c', topics: ['x', 'y'] },
      { memberId: 'd', topics: ['y', 'z'] },
    ];
    const pc = { x: 6, y: 6, z: 3 };
    const a = assignPartitions({ members: ms, partitionCounts: pc });
    expectValid(a, ms, pc);
    expectBalanced(a, ms);
    // 15 partitions over 4 members: every member ends within one of the others here, since
    // each can take from a heavier neighbour.
    expect(Math.max(...counts(a)) - Math.min(...counts(a))).toBeLessThanOrEqual(1);
  });

  it('a member alone on a topic gets all of it even if that makes it heavier than the rest', () => {
    const ms: AssignorMember[] = [
      { memberId: 'a', topics: ['big'] },
      { memberId: 'b', topics: ['small'] },
      { memberId: 'c', topics: ['small'] },
    ];
    const a = assignPartitions({ members: ms, partitionCounts: { big: 10, small: 2 } });
    expectValid(a, ms, { big: 10, small: 2 });
    expect(counts(a)).toEqual([10, 1, 1]);
  });

  it('keeps movement at the minimum through a random churn of joins and leaves (measured)', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const total = 50;
    let ids = ['m000', 'm001', 'm002'];
    let next = 3;
    let previous = assignPartitions({ members: ids.map((memberId) => ({ memberId, topics: ['t'] })), partitionCounts: { t: total } });
    let movedTotal = 0;
    let minimumTotal = 0;
    for (let step = 0; step < 200; step++) {
      const roll = random();
      if (roll < 0.45 || ids.length === 1) ids = [...ids, `m${String(next++).padStart(3, '0')}`];
      else if (roll < 0.9) ids = ids.filter((_, i) => i !== Math.floor(random() * ids.length));
      else {
        const k = 1 + Math.floor(random() * 3); // several at once
        for (let i = 0; i < k; i++) ids = [...ids, `m${String(next++).padStart(3, '0')}`];
      }
      const ms = ids.map((memberId) => ({ memberId, topics: ['t'] }));
      const after = assignPartitions({ members: ms, partitionCounts: { t: total }, previous });
      expectValid(after, ms, { t: total });
      expectBalanced(after, ms);
      const moved = movedPartitions(previous, after).length;
      const minimum = minimalMoves(previous, ids, total);
      expect(moved, `step ${step}: ${ids.length} members`).toBe(minimum);
      movedTotal += moved;
      minimumTotal += minimum;
      previous = after;
    }
    expect(movedTotal).toBe(minimumTotal);
  });

  it('is deterministic whatever the order of members and of the previous lists', () => {
    const ms = members(5, ['a', 'b']);
    const first = assignPartitions({ members: ms, partitionCounts: { a: 7, b: 9 } });
    const shuffledPrevious: Record<string, TopicPartition[]> = {};
    for (const id of Object.keys(first).reverse()) shuffledPrevious[id] = [...first[id]].reverse();
    const again = assignPartitions({ members: [...ms].reverse(), partitionCounts: { a: 7, b: 9 }, previous: shuffledPrevious });
    expect(again).toEqual(first);
  });

  it('ignores previous ownership of partitions that no longer exist or are claimed twice', () => {
    const ms = members(2, ['t']);
    const a = assignPartitions({
      members: ms,
      partitionCounts: { t: 2 },
      previous: { m000: [{ topic: 't', partition: 0 }, { topic: 't', partition: 5 }], m001: [{ topic: 't', partition: 0 }] },
    });
    expectValid(a, ms, { t: 2 });
    expect(a.m000).toEqual([{ topic: 't', partition: 0 }]);
    expect(a.m001).toEqual([{ topic: 't', partition: 1 }]);
  });

  it('assigns 1024 partitions of 4 topics among 200 members quickly enough for a request', () => {
    const ms = members(200, ['a', 'b', 'c', 'd']);
    const pc = { a: 1024, b: 1024, c: 1024, d: 1024 };
    const a = assignPartitions({ members: ms, partitionCounts: pc });
    expectValid(a, ms, pc);
    expectBalanced(a, ms);
    const more = members(201, ['a', 'b', 'c', 'd']);
    const b = assignPartitions({ members: more, partitionCounts: pc, previous: a });
    expect(movedPartitions(a, b)).toHaveLength(minimalMoves(a, more.map((m) => m.memberId), 4096));
  });
});
