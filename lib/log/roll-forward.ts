/**
 * Roll-forward: the leader record's `lastCommit` is the only commit whose index entry may be
 * missing (its writer died between commit and index write). Before a writer replaces it, and
 * whenever a reader needs it, it is materialized into the index.
 */
import type { LeaderRecord, Storage } from '../storage';

/** Highest base offset known to be indexed, per partition, in this process. */
const knownIndexed = new Map<string, number>();

async function ensureIndexedImpl(storage: Storage, leader: LeaderRecord): Promise<void> {
  const last = leader.lastCommit;
  if (!last) return;
  const tp = `${leader.topicId}#${leader.partition}`;
  if ((knownIndexed.get(tp) ?? -1) >= last.baseOffset) return;
  const existing = await storage.index.get(leader.topicId, leader.partition, last.baseOffset);
  if (!existing) await storage.index.putIfAbsent(leader.topicId, leader.partition, last);
  remember(leader.topicId, leader.partition, last.baseOffset);
}

function remember(topicId: string, partition: number, baseOffset: number): void {
  const tp = `${topicId}#${partition}`;
  if ((knownIndexed.get(tp) ?? -1) < baseOffset) knownIndexed.set(tp, baseOffset);
}

/**
 * Makes sure the leader's last commit has its index entry. Every earlier commit is indexed already:
 * the writer that replaced it as `lastCommit` ran this first.
 */
export const ensureIndexed = Object.assign(ensureIndexedImpl, { remember });
