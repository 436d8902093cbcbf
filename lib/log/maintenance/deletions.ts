/**
 * Deferred deletion of segment objects that retention or compaction took out of the index. A
 * read that looked up the index just before an entry went may still GET the object; so the
 * object is recorded as a pending deletion (an item in the index table) and deleted by a later
 * sweep, once `deletionDelayMs` has passed — and only if, looked up again then, neither the index
 * entry it came from nor the leader's `lastCommit` refers to it.
 */
import type { PendingDeletion, SegmentRef, Storage } from '../../storage';
import type { MaintenanceConfig } from './config';

/** Records `entries`' objects (whose index entries were just removed) for deletion after the delay. */
export async function scheduleDeletions(
  storage: Storage,
  config: MaintenanceConfig,
  topicId: string,
  partition: number,
  entries: readonly SegmentRef[],
  reason: PendingDeletion['reason'],
): Promise<void> {
  if (entries.length === 0) return;
  const dueAt = config.clock() + config.deletionDelayMs;
  await storage.maintenance.scheduleDeletions(
    entries.map((e) => ({ key: e.key, topicId, partition, entryBaseOffset: e.baseOffset, bytes: e.bytes, reason, dueAt })),
  );
}

export interface SweepResult {
  readonly deleted: number;
  readonly bytes: number;
  /** Not due yet. */
  readonly waiting: number;
  /** Due, but referred to again (kept; the pending item stays until the reference is gone). */
  readonly stillReferenced: number;
}

/** Deletes every due pending deletion whose object nothing refers to any more. */
export async function sweepDeletions(storage: Storage, config: MaintenanceConfig): Promise<SweepResult> {
  const now = config.clock();
  const pending = await storage.maintenance.listDeletions();
  const due = pending.filter((d) => d.dueAt <= now);
  const lastKeys = new Map<string, string | undefined>();
  const deletable: PendingDeletion[] = [];
  let stillReferenced = 0;
  for (const d of due) {
    const tp = `${d.topicId}#${d.partition}`;
    if (!lastKeys.has(tp)) lastKeys.set(tp, (await storage.leaders.get(d.topicId, d.partition))?.lastCommit?.key);
    const entry = await storage.index.get(d.topicId, d.partition, d.entryBaseOffset);
    if (entry?.key === d.key || lastKeys.get(tp) === d.key) {
      stillReferenced += 1;
      config.log({ level: 'warn', event: 'deletion-postponed', key: d.key, topicId: d.topicId, partition: d.partition, why: 'still referenced' });
      continue;
    }
    deletable.push(d);
  }
  const keys = deletable.map((d) => d.key);
  await storage.segments.deleteKeys(keys);
  await storage.maintenance.removeDeletions(keys);
  const bytes = deletable.reduce((n, d) => n + d.bytes, 0);
  if (deletable.length > 0) {
    const byReason: Record<string, number> = {};
    for (const d of deletable) byReason[d.reason] = (byReason[d.reason] ?? 0) + 1;
    config.log({ event: 'segments-deleted', objects: deletable.length, bytes, byReason });
  }
  return { deleted: deletable.length, bytes, waiting: pending.length - due.length, stillReferenced };
}
