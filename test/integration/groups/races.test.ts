/**
 * Races forced into their worst interleaving, at the lib level over the embedded emulators: a
 * storage wrapper runs a competing operation at the exact moment between one call's read and its
 * conditional write, and the tests check the write's condition catches it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreambedError } from '../../../lib/errors';
import { commitOffsets, fetchOffsets, heartbeat, joinGroup } from '../../../lib/groups';
import { createTopic } from '../../../lib/log';
import type { Storage } from '../../../lib/storage';
import type { GroupsTable } from '../../../lib/storage/groups-table';
import { emulatedStorage, type EmulatedStorage } from '../../helpers/emulated-storage';
import { uniqueGroup } from './helpers';

let env: EmulatedStorage;
let storage: Storage;
beforeAll(async () => {
  env = await emulatedStorage();
  storage = env.storage;
});
afterAll(async () => {
  await env?.stop();
});

/** `storage` whose groups table runs `before` (once) ahead of the first call to `method`. */
function interleaved(method: 'writeMeta' | 'touchMember' | 'deleteMember' | 'commitOffset', before: () => Promise<void>): Storage {
  const groups = Object.create(storage.groups) as GroupsTable;
  let armed = true;
  const original = storage.groups[method].bind(storage.groups) as (...args: unknown[]) => Promise<boolean>;
  (groups as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
    if (armed) {
      armed = false;
      await before();
    }
    return original(...args);
  };
  return { ...storage, groups };
}

async function topic(partitions: number): Promise<string> {
  const name = uniqueGroup('rt');
  await createTopic(storage, { name, partitions });
  return name;
}

async function rejects(p: Promise<unknown>): Promise<StreambedError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(StreambedError);
    return err as StreambedError;
  }
  throw new Error('expected a rejection');
}

describe('group writes under forced races', () => {
  it.each([
    ['creates the group', false],
    ['updates the group', true],
  ])('a join whose write (it %s) loses to another join retries, and both end up members', async (_, existing) => {
    const t = await topic(6);
    const group = uniqueGroup();
    const first = existing ? [await joinGroup(storage, group, { topics: [t], sessionTimeoutMs: 60000 })] : [];
    let other: Awaited<ReturnType<typeof joinGroup>> | undefined;
    const racing = interleaved('writeMeta', async () => {
      other = await joinGroup(storage, group, { topics: [t], sessionTimeoutMs: 60000 });
    });
    const mine = await joinGroup(racing, group, { topics: [t], sessionTimeoutMs: 60000 });
    expect(other!.generation).toBe(first.length + 1);
    expect(mine.generation).toBe(first.length + 2);
    const { meta } = await storage.groups.read(group);
    expect(Object.keys(meta!.members).sort()).toEqual([...first.map((m) => m.memberId), other!.memberId, mine.memberId].sort());
    const views = await Promise.all([...first, other!].map((m) => heartbeat(storage, group, m.memberId, m.generation)));
    const owned = [...views.flatMap((v) => v.assignment), ...mine.assignment].map((tp) => tp.partition).sort();
    expect(owned).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('a heartbeat that lands while a join is being written is ordered before it', async () => {
    const t = await topic(2);
    const group = uniqueGroup();
    const a = await joinGroup(storage, group, { topics: [t], sessionTimeoutMs: 60000 });
    let b: Awaited<ReturnType<typeof joinGroup>> | undefined;
    const racing = interleaved('touchMember', async () => {
      b = await joinGroup(storage, group, { topics: [t], sessionTimeoutMs: 60000 });
    });
    const hb = await heartbeat(racing, group, a.memberId, a.generation);
    // Its read came before the join: the old generation, no rebalance; the touch still lands.
    expect(hb).toEqual({ generation: a.generation, assignment: a.assignment, rebalance: false });
    const next = await heartbeat(storage, group, a.memberId, a.generation);
    expect(next.rebalance).toBe(true);
    expect(next.generation).toBe(b!.generation);
  });

  it('an expiry whose member heartbeats before the removal lands does not remove it', async () => {
    const t = await topic(2);
    const group = uniqueGroup();
    const stays = await joinGroup(storage, group, { topics: [t], sessionTimeoutMs: 60000 });
    const slow = await joinGroup(storage, group, { topics: [t], sessionTimeoutMs: 500 });
    await new Promise((r) => setTimeout(r, 1000));
    // `slow` looks expired to the next call; its heartbeat (say, from a host whose clock runs
    // behind) lands between that call's read and its fencing delete.
    const racing = interleaved('deleteMember', async () => {
      expect(await storage.groups.touchMember(group, slow.memberId, Date.now(), 0)).toBe(true);
    });
    const hb = await heartbeat(racing, group, stays.memberId, slow.generation);
    expect(hb).toMatchObject({ generation: slow.generation, rebalance: false });
    const { meta, liveness } = await storage.groups.read(group);
    expect(Object.keys(meta!.members).sort()).toEqual([slow.memberId, stays.memberId].sort());
    expect(Object.keys(liveness).sort()).toEqual([slow.memberId, stays.memberId].sort());
  });

  it('a member commit validated before a rebalance but written after a newer-generation commit is refused', async () => {
    const t = await topic(1);
    const group = uniqueGroup();
    const a = await joinGroup(storage, group, { topics: [t], sessionTimeoutMs: 60000 });
    const racing = interleaved('commitOffset', async () => {
      const b = await joinGroup(storage, group, { topics: [t], sessionTimeoutMs: 60000 });
      await commitOffsets(storage, group, { memberId: b.memberId, generation: b.generation, offsets: [{ topic: t, partition: 0, offset: 50 }] });
    });
    const err = await rejects(commitOffsets(racing, group, { memberId: a.memberId, generation: a.generation, offsets: [{ topic: t, partition: 0, offset: 7 }] }));
    expect(err.code).toBe('ILLEGAL_GENERATION');
    expect((await fetchOffsets(storage, group, t))[0].offset).toBe(50);
  });

  it('a standalone commit that loses to a member commit is ordered after it', async () => {
    const t = await topic(1);
    const group = uniqueGroup();
    const racing = interleaved('commitOffset', async () => {
      const m = await joinGroup(storage, group, { topics: [t], sessionTimeoutMs: 60000 });
      await commitOffsets(storage, group, { memberId: m.memberId, generation: m.generation, offsets: [{ topic: t, partition: 0, offset: 50 }] });
    });
    await commitOffsets(racing, group, { offsets: [{ topic: t, partition: 0, offset: 3 }] });
    expect((await fetchOffsets(storage, group, t))[0].offset).toBe(3);
  });

  it('the offset fence: a commit of an older generation never replaces a newer one', async () => {
    const group = uniqueGroup();
    const item = { topic: 'x', partition: 0, metadata: null, topicId: 'id', committedAt: 0 };
    expect(await storage.groups.commitOffset(group, { ...item, offset: 10, generation: 5 })).toBe(true);
    expect(await storage.groups.commitOffset(group, { ...item, offset: 20, generation: 4 })).toBe(false);
    expect((await storage.groups.offsets(group, 'x'))[0]).toMatchObject({ offset: 10, generation: 5 });
    expect(await storage.groups.commitOffset(group, { ...item, offset: 30, generation: 5 })).toBe(true);
    expect(await storage.groups.commitOffset(group, { ...item, offset: 40, generation: 6 })).toBe(true);
    expect((await storage.groups.offsets(group, 'x'))[0]).toMatchObject({ offset: 40, generation: 6 });
  });

  it('a heartbeat for a member removed between its read and its touch gets 404', async () => {
    const t = await topic(1);
    const group = uniqueGroup();
    const a = await joinGroup(storage, group, { topics: [t], sessionTimeoutMs: 60000, instanceId: 'i' });
    const racing = interleaved('touchMember', async () => {
      await joinGroup(storage, group, { topics: [t], sessionTimeoutMs: 60000, instanceId: 'i' }); // replaces a
    });
    const err = await rejects(heartbeat(racing, group, a.memberId, a.generation));
    expect(err.code).toBe('UNKNOWN_MEMBER_ID');
  });
});
