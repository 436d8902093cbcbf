/**
 * The read-modify-write loop of a group: read the group (meta item and liveness items, one
 * consistent Query), decide, apply the decision's writes with their conditions, and start over
 * when one of them finds the group changed. Every group change goes through here, so two joins
 * racing, a heartbeat racing a join, or a leave racing an expiry end in an order a single
 * coordinator could have chosen.
 *
 * The writes of a decision, in order:
 * 1. fence: delete the liveness items of members found expired, each on condition that it is
 *    still silent (a heartbeat that landed meanwhile makes the decision start over). A fenced
 *    member is dead from then on, even if step 4 loses a race: the next decision removes it.
 * 2. create: liveness items of new members (before the meta item names them, so a member the
 *    meta item names without a liveness item is always one that expired).
 * 3. touch: refresh present members, on condition that they have not expired meanwhile.
 * 4. meta: the new structure, on condition that `version` is still the one read.
 * 5. drop: liveness items nobody needs (members that left or were replaced); best effort.
 */
import { StreambedError } from '../errors';
import type { GroupRead, Storage } from '../storage';
import type { Effects } from './group-state';
import { GROUP_LIMITS } from './limits';

export interface Decision<T> {
  /** Writes to apply; none for a read-only answer. */
  readonly effects?: Effects;
  /** The answer once the writes landed (it may throw: e.g. 404 after removing expired members). */
  readonly value: () => T;
}

export async function updateGroup<T>(
  storage: Storage,
  group: string,
  decide: (read: GroupRead, now: number) => Promise<Decision<T>>,
): Promise<T> {
  const deadline = Date.now() + GROUP_LIMITS.updateBudgetMs;
  for (let attempt = 0; ; attempt++) {
    const read = await storage.groups.read(group);
    const decision = await decide(read, Date.now());
    if (!decision.effects || (await apply(storage, group, read, decision.effects))) return decision.value();
    if (Date.now() > deadline) {
      throw new StreambedError('UNAVAILABLE', `group "${group}" changed under ${attempt + 1} attempts in a row; retry`);
    }
    await sleep(Math.random() * Math.min(50, 2 * 2 ** Math.min(attempt, 5)));
  }
}

/** Applies `effects`; false when a condition failed and the decision must be made again. */
async function apply(storage: Storage, group: string, read: GroupRead, effects: Effects): Promise<boolean> {
  const { groups } = storage;
  const fenced = await Promise.all(Object.entries(effects.fence).map(([id, cutoff]) => groups.deleteMember(group, id, cutoff)));
  if (fenced.includes(false)) return false;
  await Promise.all(Object.entries(effects.create).map(([id, liveness]) => groups.putMember(group, id, liveness)));
  const at = Date.now();
  const touched = await Promise.all(Object.entries(effects.touch).map(([id, timeout]) => groups.touchMember(group, id, at, at - timeout, timeout)));
  if (touched.includes(false)) return false;
  if (effects.meta) {
    // Listed before it exists: a group never exists without its directory entry.
    if (!read.meta) await groups.addToDirectory(group);
    if (!(await groups.writeMeta(group, read.meta?.version, effects.meta))) return false;
  }
  // Garbage only: a failure here changes nothing the caller was told.
  await Promise.all(effects.drop.map((id) => groups.deleteMember(group, id).catch(() => false)));
  return true;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
