/**
 * Garbage collection of segment objects nothing will ever read:
 *
 * - **Orphans** of a partition: objects under its prefix that no index entry, no `lastCommit` and
 *   no pending deletion refers to, and that are older than `orphanGraceMs` — writes whose commit
 *   never happened (the writer died, lost its last race, was fenced, or was a duplicate of an
 *   idempotent retry). The snapshot order is what makes it safe: take the time T, read the leader
 *   record, then the index, then list the objects. Every commit that landed before the leader read
 *   is in that index listing or is `lastCommit` (a writer indexes the previous commit before it
 *   replaces it). A commit that lands later belongs to an append still running at T, whose object
 *   was PUT less than one append duration before T: younger than the grace period, so kept.
 *   docs/maintenance.md has the full argument and the clock margins.
 * - **Deleted topics**: objects, leader records and index entries under a topic id that no topic
 *   item refers to (a deletion cut short, or an append that was in flight while its topic went).
 *   Ids are listed from S3 and the leader records BEFORE the topics are read, and topic ids are
 *   never reused: an id found in a listing and absent from the later topics read is gone for good.
 */
import type { Storage, TopicItem } from '../../storage';
import { segmentKeyTime, segmentPrefix, topicPrefix } from '../../storage/schema';
import type { MaintenanceConfig } from './config';

export interface OrphanResult {
  readonly deleted: number;
  readonly bytes: number;
}

/** Deletes the partition's orphans. `pendingKeys`: objects waiting in the deferred-deletion list. */
export async function collectOrphans(
  storage: Storage,
  config: MaintenanceConfig,
  topic: Pick<TopicItem, 'name' | 'topicId'>,
  partition: number,
  pendingKeys: ReadonlySet<string>,
): Promise<OrphanResult> {
  const { topicId } = topic;
  // Order matters: time, leader record, index, listing (see above).
  const snapshotAt = config.clock();
  const leader = await storage.leaders.get(topicId, partition);
  const entries = await storage.index.list(topicId, partition);
  const objects = await storage.segments.listSegments(segmentPrefix(topicId, partition));
  const referenced = new Set(entries.map((e) => e.key));
  if (leader?.lastCommit) referenced.add(leader.lastCommit.key);
  const cutoff = snapshotAt - config.orphanGraceMs;
  const orphans = objects.filter((o) => {
    if (referenced.has(o.key) || pendingKeys.has(o.key)) return false;
    // The later of S3's LastModified (whole seconds on some implementations) and the writer's
    // clock in the key: the object counts as young if either says so.
    const writtenAt = Math.max(o.lastModified, segmentKeyTime(o.key) ?? 0);
    return writtenAt < cutoff;
  });
  if (orphans.length === 0) return { deleted: 0, bytes: 0 };
  await storage.segments.deleteKeys(orphans.map((o) => o.key));
  const bytes = orphans.reduce((n, o) => n + o.size, 0);
  config.log({ event: 'orphans-deleted', topic: topic.name, topicId, partition, objects: orphans.length, bytes });
  return { deleted: orphans.length, bytes };
}

export interface DeletedTopicsResult {
  readonly topicIds: number;
  readonly objects: number;
}

/** Removes what is left of deleted topics. */
export async function collectDeletedTopics(storage: Storage, config: MaintenanceConfig): Promise<DeletedTopicsResult> {
  const [objectIds, leaderIds] = await Promise.all([storage.segments.listTopicIds(), storage.leaders.listTopicIds()]);
  // Read after the listings: an id listed above whose topic exists now is live.
  const live = new Set((await storage.topics.list()).map((t) => t.topicId));
  const gone = [...new Set([...objectIds, ...leaderIds])].filter((id) => !live.has(id));
  let objects = 0;
  for (const topicId of gone) {
    const keys = (await storage.segments.listSegments(topicPrefix(topicId))).map((o) => o.key);
    const partitions = new Set(await storage.leaders.partitionsOf(topicId));
    for (const key of keys) partitions.add(Number(key.split('/')[2]));
    for (const p of partitions) if (Number.isInteger(p)) await storage.index.deletePartition(topicId, p);
    await storage.leaders.deleteTopic(topicId);
    await storage.segments.deleteKeys(keys);
    objects += keys.length;
    config.log({ event: 'deleted-topic-removed', topicId, partitions: partitions.size, objects: keys.length });
  }
  return { topicIds: gone.length, objects };
}
