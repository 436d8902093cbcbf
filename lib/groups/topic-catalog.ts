/**
 * The topics a group's assignment is made from, read once per call. A subscribed topic that does
 * not exist is simply absent (Kafka lets consumers subscribe to topics not created yet); when it
 * appears, the next heartbeat sees it and the group rebalances.
 */
import type { Storage, TopicSnapshotItem } from '../storage';

export class TopicCatalog {
  private readonly known = new Map<string, Promise<TopicSnapshotItem | undefined>>();

  constructor(private readonly storage: Storage) {}

  /** topic → (topicId, partitions) of each of `topics` that exists. */
  async snapshot(topics: readonly string[]): Promise<Record<string, TopicSnapshotItem>> {
    const entries = await Promise.all(
      topics.map(async (name) => {
        let pending = this.known.get(name);
        if (!pending) {
          pending = this.storage.topics.get(name).then((t) => (t ? { topicId: t.topicId, partitions: t.partitions } : undefined));
          this.known.set(name, pending);
        }
        return [name, await pending] as const;
      }),
    );
    const out: Record<string, TopicSnapshotItem> = {};
    for (const [name, item] of entries) if (item) out[name] = item;
    return out;
  }
}
