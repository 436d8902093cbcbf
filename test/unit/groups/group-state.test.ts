import { describe, expect, it } from 'vitest';
import { Draft, assignmentOf, isLive } from '../../../lib/groups/group-state';
import type { GroupMetaItem, GroupRead } from '../../../lib/storage';

const NOW = 1_000_000;
const snapshot = { t: { topicId: 'id-t', partitions: 4 } };

/** A group of `ids` (all on topic t, all alive) built through the Draft itself. */
function group(ids: string[], instance: Record<string, string> = {}): GroupRead {
  let read: GroupRead = { liveness: {} };
  for (const id of ids) {
    const d = new Draft(read, NOW);
    d.add(id, { topics: ['t'], joinedAt: NOW, instanceId: instance[id] }, 10_000);
    const e = d.effects(snapshot);
    const meta: GroupMetaItem = { group: 'g', ...e.meta!, updatedAt: NOW, hasOffsets: false };
    read = { meta, liveness: { ...read.liveness, ...e.create } };
  }
  return read;
}

describe('Draft', () => {
  it('a heartbeat of a live member writes only its liveness item', () => {
    const read = group(['a', 'b']);
    const d = new Draft(read, NOW + 5_000);
    expect(d.removeExpired()).toEqual([]);
    d.touch('a');
    const e = d.effects(snapshot);
    expect(e.meta).toBeUndefined();
    expect(e.touch).toEqual({ a: 10_000 });
    expect(e.fence).toEqual({});
    expect(e.create).toEqual({});
  });

  it('an expired member is fenced on its last heartbeat and removed; the generation advances', () => {
    const read = group(['a', 'b']);
    read.liveness.b = { seen: NOW - 20_000, sessionTimeoutMs: 10_000 };
    expect(isLive(read, 'b', NOW)).toBe(false);
    const d = new Draft(read, NOW);
    expect(d.removeExpired()).toEqual(['b']);
    const e = d.effects(snapshot);
    expect(e.fence).toEqual({ b: NOW - 10_000 });
    expect(e.meta!.generation).toBe(read.meta!.generation + 1);
    expect(Object.keys(e.meta!.members)).toEqual(['a']);
    expect(assignmentOf(e.meta!.assignment, 'a')).toHaveLength(4);
  });

  it('a member named by the meta item but without a liveness item counts as expired', () => {
    const read = group(['a', 'b']);
    delete read.liveness.b;
    const d = new Draft(read, NOW);
    expect(d.has('b')).toBe(false);
    expect(d.removeExpired()).toEqual(['b']);
    expect(d.effects(snapshot).fence).toEqual({}); // nothing left to fence
  });

  it('a static member replaced keeps the generation and the partitions, under the new id', () => {
    const read = group(['a', 'b'], { b: 'w-1' });
    const d = new Draft(read, NOW);
    expect(d.findInstance('w-1')).toBe('b');
    d.replace('b', 'b2', { topics: ['t'], joinedAt: NOW, instanceId: 'w-1' }, 10_000);
    const e = d.effects(snapshot);
    expect(e.meta!.generation).toBe(read.meta!.generation);
    expect(assignmentOf(e.meta!.assignment, 'b2')).toEqual(assignmentOf(read.meta!.assignment, 'b'));
    expect(assignmentOf(e.meta!.assignment, 'a')).toEqual(assignmentOf(read.meta!.assignment, 'a'));
    expect(e.create).toEqual({ b2: { seen: NOW, sessionTimeoutMs: 10_000 } });
    expect(e.drop).toEqual(['b']);
  });

  it('a rejoin with the same subscription writes no meta item; a new subscription rebalances', () => {
    const read = group(['a']);
    const same = new Draft(read, NOW);
    same.update('a', { topics: ['t'], joinedAt: NOW }, 20_000);
    expect(same.effects(snapshot).meta).toBeUndefined();
    expect(same.effects(snapshot).touch).toEqual({ a: 20_000 });
    const changed = new Draft(read, NOW);
    changed.update('a', { topics: ['t', 'u'], joinedAt: NOW }, 10_000);
    expect(changed.effects(snapshot).meta!.generation).toBe(read.meta!.generation + 1);
  });

  it('a topic that appears, grows or is re-created rebalances without a membership change', () => {
    const read = group(['a']);
    for (const next of [
      { t: { topicId: 'id-t', partitions: 6 } },
      { t: { topicId: 'id-t2', partitions: 4 } },
      { ...snapshot, u: { topicId: 'id-u', partitions: 1 } },
    ]) {
      const d = new Draft(read, NOW);
      d.touch('a');
      const meta = d.effects(next).meta;
      if (!('u' in next)) {
        expect(meta!.generation).toBe(read.meta!.generation + 1);
        expect(meta!.topics).toEqual(next);
      } else {
        // Nobody subscribes to u: nothing changes.
        expect(meta).toBeUndefined();
      }
    }
  });

  it('drops liveness items of nobody once they have expired, and keeps fresh ones (a join under way)', () => {
    const read = group(['a']);
    read.liveness.old = { seen: NOW - 60_000, sessionTimeoutMs: 10_000 };
    read.liveness.fresh = { seen: NOW, sessionTimeoutMs: 10_000 };
    const d = new Draft(read, NOW);
    d.touch('a');
    expect(d.effects(snapshot).drop).toEqual(['old']);
  });
});
