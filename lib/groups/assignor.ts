/**
 * The server-side partition assignor (KIP-848's idea: the coordinator, not a client leader,
 * decides who reads what). A pure function of the members' subscriptions, the partition counts
 * of the topics that exist, and the previous assignment:
 *
 * - every partition of a subscribed, existing topic has exactly one owner, and only a member
 *   subscribed to its topic owns it;
 * - balanced: when member A owns two or more partitions more than member B, B cannot take any of
 *   A's partitions (it is not subscribed to their topics). So members with the same subscription
 *   own counts that differ by at most one;
 * - sticky: a partition stays with its previous owner unless that owner left, unsubscribed, or
 *   holds more than its share. Orphaned partitions go to the least loaded eligible member, then
 *   single partitions move from the most to the least loaded member until balanced. Adding a
 *   fourth member to three that hold twelve partitions moves exactly three.
 *
 * Deterministic: the same input gives the same output (ties break on member id, then topic and
 * partition order), and it is idempotent: feeding an output back as `previous` changes nothing.
 */
import type { TopicPartition } from './types';

export interface AssignorMember {
  readonly memberId: string;
  readonly topics: readonly string[];
}

export interface AssignorInput {
  readonly members: readonly AssignorMember[];
  /** Partition count of every topic that exists; subscribed topics absent here have no partitions. */
  readonly partitionCounts: Readonly<Record<string, number>>;
  /** memberId → the partitions it owned in the previous generation. */
  readonly previous?: Readonly<Record<string, readonly TopicPartition[]>>;
}

/** memberId → its partitions, sorted by topic then partition; every member has an entry. */
export type Assignment = Record<string, TopicPartition[]>;

const key = (topic: string, partition: number): string => `${topic}#${partition}`;

export function assignPartitions(input: AssignorInput): Assignment {
  const members = [...new Set(input.members.map((m) => m.memberId))].sort();
  const subscriptions = new Map<string, Set<string>>();
  for (const m of input.members) {
    const set = subscriptions.get(m.memberId) ?? new Set<string>();
    for (const t of m.topics) set.add(t);
    subscriptions.set(m.memberId, set);
  }

  // Every partition of every subscribed topic that exists, in (topic, partition) order.
  const topics = [...new Set(input.members.flatMap((m) => m.topics))].filter((t) => (input.partitionCounts[t] ?? 0) > 0).sort();
  const all: TopicPartition[] = topics.flatMap((topic) =>
    Array.from({ length: input.partitionCounts[topic] }, (_, partition) => ({ topic, partition })),
  );
  const exists = new Set(all.map((tp) => key(tp.topic, tp.partition)));

  const owned = new Map<string, Map<string, TopicPartition>>(members.map((id) => [id, new Map()]));
  const ownerOf = new Map<string, string>();

  // 1. Stickiness: keep what each member owned, where it still may.
  for (const memberId of members) {
    const subscribed = subscriptions.get(memberId)!;
    for (const tp of input.previous?.[memberId] ?? []) {
      const k = key(tp.topic, tp.partition);
      if (!exists.has(k) || !subscribed.has(tp.topic) || ownerOf.has(k)) continue;
      ownerOf.set(k, memberId);
      owned.get(memberId)!.set(k, { topic: tp.topic, partition: tp.partition });
    }
  }

  // 2. Orphans (new partitions, or ones whose owner left or unsubscribed) to the least loaded
  //    eligible member.
  for (const tp of all) {
    const k = key(tp.topic, tp.partition);
    if (ownerOf.has(k)) continue;
    let best: string | undefined;
    for (const memberId of members) {
      if (!subscriptions.get(memberId)!.has(tp.topic)) continue;
      if (best === undefined || owned.get(memberId)!.size < owned.get(best)!.size) best = memberId;
    }
    if (best === undefined) continue; // unreachable: the topic is in the union of subscriptions
    ownerOf.set(k, best);
    owned.get(best)!.set(k, tp);
  }

  // 3. Balance: move one partition at a time from a most loaded member to a least loaded one that
  //    may own it. Each move lowers the sum of squared counts, so this ends.
  for (;;) {
    const move = findMove(members, owned, subscriptions);
    if (!move) break;
    const tp = owned.get(move.from)!.get(move.key)!;
    owned.get(move.from)!.delete(move.key);
    owned.get(move.to)!.set(move.key, tp);
    ownerOf.set(move.key, move.to);
  }

  const result: Assignment = {};
  for (const memberId of members) result[memberId] = sortPartitions([...owned.get(memberId)!.values()]);
  return result;
}

interface Move {
  readonly from: string;
  readonly to: string;
  readonly key: string;
}

function findMove(
  members: readonly string[],
  owned: ReadonlyMap<string, ReadonlyMap<string, TopicPartition>>,
  subscriptions: ReadonlyMap<string, ReadonlySet<string>>,
): Move | undefined {
  const count = (id: string): number => owned.get(id)!.size;
  const byLoad = [...members].sort((a, b) => count(b) - count(a) || (a < b ? -1 : a > b ? 1 : 0));
  for (const from of byLoad) {
    for (let i = byLoad.length - 1; i >= 0; i--) {
      const to = byLoad[i];
      if (count(from) <= count(to) + 1) break; // the rest are at least as loaded
      const wanted = subscriptions.get(to)!;
      // The last movable partition in (topic, partition) order: deterministic, and it keeps a
      // member's low partitions where they were.
      let pick: { key: string; tp: TopicPartition } | undefined;
      for (const [k, tp] of owned.get(from)!) {
        if (wanted.has(tp.topic) && (pick === undefined || comparePartitionKeys(pick.tp, tp) < 0)) pick = { key: k, tp };
      }
      if (pick !== undefined) return { from, to, key: pick.key };
    }
  }
  return undefined;
}

function comparePartitionKeys(a: TopicPartition, b: TopicPartition): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  return a.partition - b.partition;
}

export function sortPartitions(list: TopicPartition[]): TopicPartition[] {
  return list.sort(comparePartitionKeys);
}

/**
 * Partitions that changed owner between two assignments, counting only partitions that had an
 * owner before and have one after (new partitions and dropped ones are not movements).
 */
export function movedPartitions(before: Readonly<Record<string, readonly TopicPartition[]>>, after: Readonly<Record<string, readonly TopicPartition[]>>): TopicPartition[] {
  const ownerBefore = new Map<string, string>();
  for (const [memberId, list] of Object.entries(before)) for (const tp of list) ownerBefore.set(key(tp.topic, tp.partition), memberId);
  const moved: TopicPartition[] = [];
  for (const [memberId, list] of Object.entries(after)) {
    for (const tp of list) {
      const previous = ownerBefore.get(key(tp.topic, tp.partition));
      if (previous !== undefined && previous !== memberId) moved.push(tp);
    }
  }
  return sortPartitions(moved);
}
