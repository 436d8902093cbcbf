/**
 * Committed offsets written under a fencing token instead of a group generation: the position of a
 * partition owned by exactly one process at a time through a lease (trigger dispatchers,
 * lib/triggers). The items are ordinary offset items of the group, so the position shows under
 * `GET /v1/groups/{group}/offsets` with its lag, and the write is the groups table's
 * `commitOffset`: stored on condition that no commit with a higher token is (the token goes in the
 * item's `generation`). A holder whose lease was taken over, and whose successor has committed
 * once, can therefore never move the position again.
 */
import type { Storage, TopicItem } from '../storage';
import { validateGroupName } from './limits';

/** Groups known (in this process) to be in the directory and flagged as having offsets. */
const registered = new Set<string>();

/**
 * Stores `offset` (the next offset to read) for `topic`/`partition` under token `fence`. False when
 * a commit with a higher token is stored: the caller was fenced.
 */
export async function commitFencedOffset(
  storage: Storage,
  group: string,
  topic: TopicItem,
  partition: number,
  offset: number,
  fence: number,
  metadata: string | null = null,
): Promise<boolean> {
  if (!registered.has(group)) {
    validateGroupName(group);
    await storage.groups.addToDirectory(group);
    await storage.groups.markHasOffsets(group);
    registered.add(group);
  }
  return storage.groups.commitOffset(group, {
    topic: topic.name,
    partition,
    offset,
    metadata,
    generation: fence,
    topicId: topic.topicId,
    committedAt: Date.now(),
  });
}

/** The group's committed offset per partition of `topic` (commits to an earlier topic of that name do not count). */
export async function committedOffsets(storage: Storage, group: string, topic: TopicItem): Promise<Map<number, number>> {
  const items = await storage.groups.offsets(group, topic.name);
  return new Map(items.filter((o) => o.topicId === topic.topicId).map((o) => [o.partition, o.offset]));
}
