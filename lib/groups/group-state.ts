/**
 * Pure transitions of a group's state (no I/O). A Draft starts from the group as read (its meta
 * item and its members' liveness items), takes membership changes (join, rejoin, a static
 * member's restart, leave, expiry), and produces the writes that make them so: the next meta item
 * with a fresh assignment, and the liveness items to create, refresh, fence or drop.
 *
 * The generation advances when membership or the subscribed topics' partitions changed (and so
 * the assignment may have); it stays put for a static member's restart and for heartbeats.
 */
import type { GroupMemberItem, GroupMetaWrite, GroupRead, MemberLiveness, TopicSnapshotItem } from '../storage';
import { assignPartitions, sortPartitions } from './assignor';
import { GROUP_LIMITS } from './limits';
import type { TopicPartition } from './types';

type StoredAssignment = Record<string, Record<string, number[]>>;

/** Whether `memberId` is in the group and was heard from within its session timeout at `now`. */
export function isLive(read: GroupRead, memberId: string, now: number): boolean {
  if (!read.meta?.members[memberId]) return false;
  const l = read.liveness[memberId];
  return l !== undefined && l.seen + l.sessionTimeoutMs >= now;
}

export function liveCount(read: GroupRead, now: number): number {
  return Object.keys(read.meta?.members ?? {}).filter((id) => isLive(read, id, now)).length;
}

/** A member's partitions in a stored assignment, sorted. */
export function assignmentOf(assignment: StoredAssignment | undefined, memberId: string): TopicPartition[] {
  const byTopic = assignment?.[memberId] ?? {};
  return sortPartitions(Object.entries(byTopic).flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition }))));
}

export function sameSnapshot(a: Readonly<Record<string, TopicSnapshotItem>>, b: Readonly<Record<string, TopicSnapshotItem>>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => a[k].topicId === b[k].topicId && a[k].partitions === b[k].partitions);
}

/** The writes of one decision, applied in this order (see group-update.ts). */
export interface Effects {
  /** Liveness items to delete on condition that they are still silent (seen < cutoff): expiries. */
  readonly fence: Readonly<Record<string, number>>;
  /** Liveness items of new members. */
  readonly create: Readonly<Record<string, MemberLiveness>>;
  /** Present members to mark alive now (memberId → session timeout), refused if they expired. */
  readonly touch: Readonly<Record<string, number>>;
  /** The new meta item, when the group's structure changed. */
  readonly meta?: GroupMetaWrite;
  /** Liveness items no longer needed (members that left or were replaced); best effort. */
  readonly drop: readonly string[];
}

export class Draft {
  readonly members: Record<string, GroupMemberItem>;
  private readonly previous: Record<string, TopicPartition[]> = {};
  private readonly fence: Record<string, number> = {};
  private readonly create: Record<string, MemberLiveness> = {};
  private readonly touched: Record<string, number> = {};
  private readonly dropped = new Set<string>();
  private structural = false;
  private membershipChanged = false;

  constructor(
    readonly read: GroupRead,
    readonly now: number,
  ) {
    this.members = { ...(read.meta?.members ?? {}) };
    for (const id of Object.keys(this.members)) this.previous[id] = assignmentOf(read.meta?.assignment, id);
    // Liveness items of nobody (a join that never completed, a leave cut short) that have expired.
    for (const [id, l] of Object.entries(read.liveness)) {
      if (!(id in this.members) && l.seen + l.sessionTimeoutMs < now) this.dropped.add(id);
    }
  }

  /** A live member (one added by this draft counts; an expired one does not, even before removal). */
  has(memberId: string): boolean {
    return memberId in this.members && (memberId in this.create || memberId in this.touched || isLive(this.read, memberId, this.now));
  }

  /** Removes members silent past their session timeout (a bounded number per write). */
  removeExpired(): string[] {
    const expired = Object.keys(this.members)
      .filter((id) => !this.has(id))
      .sort()
      .slice(0, GROUP_LIMITS.maxExpiriesPerWrite);
    for (const id of expired) {
      const l = this.read.liveness[id];
      // Deleting its liveness item on condition that it is still silent fences its heartbeats;
      // one that lands first makes the whole decision start over.
      if (l) this.fence[id] = this.now - l.sessionTimeoutMs;
      this.remove(id);
      this.dropped.delete(id);
    }
    return expired;
  }

  /** The live member holding a static instance id. */
  findInstance(instanceId: string): string | undefined {
    return Object.keys(this.members).find((id) => this.members[id].instanceId === instanceId && this.has(id));
  }

  liveCount(): number {
    return Object.keys(this.members).filter((id) => this.has(id)).length;
  }

  sessionTimeoutOf(memberId: string): number {
    return this.create[memberId]?.sessionTimeoutMs ?? this.touched[memberId] ?? this.read.liveness[memberId].sessionTimeoutMs;
  }

  add(memberId: string, member: GroupMemberItem, sessionTimeoutMs: number): void {
    this.members[memberId] = member;
    this.previous[memberId] = [];
    this.create[memberId] = { seen: this.now, sessionTimeoutMs };
    this.dropped.delete(memberId);
    this.structural = this.membershipChanged = true;
  }

  /** A rejoin of a present member: only a subscription change is a membership change. */
  update(memberId: string, member: GroupMemberItem, sessionTimeoutMs: number): void {
    const old = this.members[memberId];
    if (!sameTopics(old.topics, member.topics)) this.membershipChanged = true;
    if (!sameTopics(old.topics, member.topics) || old.instanceId !== member.instanceId) this.structural = true;
    this.members[memberId] = member;
    this.touched[memberId] = sessionTimeoutMs;
  }

  /** A static member's restart: `newId` takes `oldId`'s place and partitions. */
  replace(oldId: string, newId: string, member: GroupMemberItem, sessionTimeoutMs: number): void {
    if (!sameTopics(this.members[oldId].topics, member.topics)) this.membershipChanged = true;
    this.previous[newId] = this.previous[oldId];
    this.members[newId] = member;
    this.create[newId] = { seen: this.now, sessionTimeoutMs };
    this.remove(oldId, false);
    this.structural = true;
  }

  /** A leave (or an expiry). */
  remove(memberId: string, membershipChange = true): void {
    delete this.members[memberId];
    delete this.previous[memberId];
    delete this.touched[memberId];
    delete this.create[memberId];
    this.dropped.add(memberId);
    this.structural = true;
    if (membershipChange) this.membershipChanged = true;
  }

  /** Marks a present member alive (a heartbeat). */
  touch(memberId: string): void {
    if (!(memberId in this.create)) this.touched[memberId] = this.sessionTimeoutOf(memberId);
  }

  /** Every topic some member subscribes to, sorted. */
  subscribedTopics(): string[] {
    return [...new Set(Object.values(this.members).flatMap((m) => m.topics))].sort();
  }

  /**
   * The writes this draft needs, with the assignment made from `snapshot` (the topics that exist).
   * The meta item is rewritten only when something structural changed or the snapshot moved.
   */
  effects(snapshot: Readonly<Record<string, TopicSnapshotItem>>): Effects {
    const base = this.read.meta;
    const topics: Record<string, TopicSnapshotItem> = {};
    for (const t of this.subscribedTopics()) if (snapshot[t]) topics[t] = { topicId: snapshot[t].topicId, partitions: snapshot[t].partitions };
    let meta: GroupMetaWrite | undefined;
    if (base === undefined || this.structural || !sameSnapshot(base.topics, topics)) {
      const partitionCounts = Object.fromEntries(Object.entries(topics).map(([t, s]) => [t, s.partitions]));
      const members = Object.entries(this.members).map(([memberId, m]) => ({ memberId, topics: m.topics }));
      const next = assignPartitions({ members, partitionCounts, previous: this.previous });
      const assignment: StoredAssignment = {};
      for (const [memberId, list] of Object.entries(next)) {
        const byTopic: Record<string, number[]> = {};
        for (const tp of list) (byTopic[tp.topic] ??= []).push(tp.partition);
        assignment[memberId] = byTopic;
      }
      const moved = Object.keys(next).some((id) => !samePartitions(next[id], this.previous[id] ?? []));
      const rebalance = base === undefined || this.membershipChanged || moved || !sameSnapshot(base.topics, topics);
      meta = {
        version: (base?.version ?? 0) + 1,
        generation: (base?.generation ?? 0) + (rebalance ? 1 : 0),
        members: this.members,
        assignment,
        topics,
      };
    }
    return { fence: { ...this.fence }, create: { ...this.create }, touch: { ...this.touched }, meta, drop: [...this.dropped] };
  }
}

function sameTopics(a: readonly string[], b: readonly string[]): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((t, i) => t === y[i]);
}

function samePartitions(a: readonly TopicPartition[], b: readonly TopicPartition[]): boolean {
  return a.length === b.length && a.every((tp, i) => tp.topic === b[i].topic && tp.partition === b[i].partition);
}

