/**
 * Group membership: join (and rejoin, and static members' restarts), heartbeat, leave. Expiry is
 * lazy: every call first removes members silent past their session timeout, in the same
 * conditional write as its own change, so no background job is needed.
 */
import { randomUUID } from 'node:crypto';
import { StreambedError } from '../errors';
import { validateTopicName } from '../log';
import type { GroupMetaWrite, Storage } from '../storage';
import { Draft, assignmentOf } from './group-state';
import { updateGroup, type Decision } from './group-update';
import { GROUP_LIMITS, validateGroupName } from './limits';
import { TopicCatalog } from './topic-catalog';
import type { MemberView, TopicPartition } from './types';

export interface JoinRequest {
  readonly topics: readonly string[];
  readonly sessionTimeoutMs?: number;
  /** Rejoin as this member, if it is still live (else a new member id is given). */
  readonly memberId?: string;
  /** Static membership: a live member with this instance id is replaced without a rebalance. */
  readonly instanceId?: string;
}

export interface HeartbeatResult {
  readonly generation: number;
  readonly assignment: TopicPartition[];
  /** The generation sent is not the group's: adopt `generation` and `assignment`. */
  readonly rebalance: boolean;
}

/**
 * Joins `group`. Returns the member id to use from now on (a new one unless `memberId` named a
 * live member), the group's generation and this member's partitions in it.
 */
export async function joinGroup(storage: Storage, group: string, request: JoinRequest): Promise<MemberView> {
  validateGroupName(group);
  const topics = [...new Set(request.topics)].sort();
  if (topics.length === 0) throw new StreambedError('INVALID_REQUEST', 'topics: subscribe to at least one topic');
  if (topics.length > GROUP_LIMITS.maxTopicsPerMember) {
    throw new StreambedError('INVALID_REQUEST', `topics: at most ${GROUP_LIMITS.maxTopicsPerMember} topics per member`);
  }
  for (const t of topics) validateTopicName(t);
  const sessionTimeoutMs = request.sessionTimeoutMs ?? GROUP_LIMITS.defaultSessionTimeoutMs;
  checkSessionTimeout(sessionTimeoutMs);
  const catalog = new TopicCatalog(storage);
  // Chosen once: a retried decision re-creates the same liveness item instead of leaving one behind.
  const newId = randomUUID();

  return updateGroup(storage, group, async (read, now) => {
    const draft = new Draft(read, now);
    draft.removeExpired();
    let memberId: string;
    const holder = request.instanceId === undefined ? undefined : draft.findInstance(request.instanceId);
    if (holder !== undefined && holder !== request.memberId) {
      // A static member restarted within its session timeout: it takes its old place and
      // partitions under a new id (the old id is fenced: its heartbeats and commits get 404).
      memberId = newId;
      draft.replace(holder, memberId, { instanceId: request.instanceId, topics, joinedAt: draft.members[holder].joinedAt }, sessionTimeoutMs);
    } else if (request.memberId !== undefined && draft.has(request.memberId)) {
      memberId = request.memberId;
      const current = draft.members[memberId];
      draft.update(memberId, { instanceId: request.instanceId ?? current.instanceId, topics, joinedAt: current.joinedAt }, sessionTimeoutMs);
    } else {
      if (draft.liveCount() >= GROUP_LIMITS.maxMembers) {
        throw new StreambedError('INVALID_REQUEST', `group "${group}" already has ${GROUP_LIMITS.maxMembers} members, the most a group may have`);
      }
      memberId = newId;
      draft.add(memberId, { instanceId: request.instanceId, topics, joinedAt: now }, sessionTimeoutMs);
    }
    const effects = draft.effects(await catalog.snapshot(draft.subscribedTopics()));
    const meta = effects.meta ?? read.meta!;
    return { effects, value: () => ({ memberId, generation: meta.generation, assignment: assignmentOf(meta.assignment, memberId) }) };
  });
}

/**
 * A member's heartbeat: keeps it alive and tells it the group's generation and its partitions;
 * `rebalance` is true when `generation` is not the current one. A member that is unknown or
 * silent past its session timeout gets 404 UNKNOWN_MEMBER_ID (and must join again).
 */
export async function heartbeat(storage: Storage, group: string, memberId: string, generation: number): Promise<HeartbeatResult> {
  validateGroupName(group);
  const catalog = new TopicCatalog(storage);
  return updateGroup(storage, group, async (read, now) => {
    const draft = new Draft(read, now);
    const expired = draft.removeExpired();
    if (!draft.has(memberId)) return sweepThen(draft, expired, catalog, () => unknownMember(group, memberId));
    draft.touch(memberId);
    // Usually only the liveness item is written (one small update); the meta item too when
    // someone expired or a subscribed topic appeared, changed or went away: a rebalance.
    const effects = draft.effects(await catalog.snapshot(draft.subscribedTopics()));
    const meta: Pick<GroupMetaWrite, 'generation' | 'assignment'> = effects.meta ?? read.meta!;
    return {
      effects,
      value: () => ({ generation: meta.generation, assignment: assignmentOf(meta.assignment, memberId), rebalance: generation !== meta.generation }),
    };
  });
}

/** A member leaves: the group rebalances at once. Unknown or expired member: 404 UNKNOWN_MEMBER_ID. */
export async function leaveGroup(storage: Storage, group: string, memberId: string): Promise<void> {
  validateGroupName(group);
  const catalog = new TopicCatalog(storage);
  await updateGroup(storage, group, async (read, now) => {
    const draft = new Draft(read, now);
    const expired = draft.removeExpired();
    if (!draft.has(memberId)) return sweepThen(draft, expired, catalog, () => unknownMember(group, memberId));
    draft.remove(memberId);
    return { effects: draft.effects(await catalog.snapshot(draft.subscribedTopics())), value: () => undefined };
  });
}

/**
 * Removes expired members (if any) and reports the group's generation after that: the fencing
 * token an offset commit is checked against. `check` runs on the result and may throw.
 */
export async function settleGroup<T>(
  storage: Storage,
  group: string,
  check: (state: { generation: number; hasOffsets: boolean; isMember: (memberId: string) => boolean }) => T,
): Promise<T> {
  const catalog = new TopicCatalog(storage);
  return updateGroup(storage, group, async (read, now) => {
    const draft = new Draft(read, now);
    const expired = draft.removeExpired();
    const state = (generation: number) => ({ generation, hasOffsets: read.meta?.hasOffsets === true, isMember: (id: string) => draft.has(id) });
    if (expired.length === 0) return { value: () => check(state(read.meta?.generation ?? 0)) };
    const effects = draft.effects(await catalog.snapshot(draft.subscribedTopics()));
    return { effects, value: () => check(state(effects.meta?.generation ?? read.meta?.generation ?? 0)) };
  });
}

export function unknownMember(group: string, memberId: string): never {
  throw new StreambedError(
    'UNKNOWN_MEMBER_ID',
    `member "${memberId.slice(0, 300)}" is not in group "${group}" (it left, or was silent past its session timeout); join again`,
  );
}

function checkSessionTimeout(ms: number): void {
  if (!Number.isInteger(ms) || ms < GROUP_LIMITS.minSessionTimeoutMs || ms > GROUP_LIMITS.maxSessionTimeoutMs) {
    throw new StreambedError(
      'INVALID_REQUEST',
      `sessionTimeoutMs must be an integer from ${GROUP_LIMITS.minSessionTimeoutMs} to ${GROUP_LIMITS.maxSessionTimeoutMs}, got ${ms}`,
    );
  }
}

/** Writes the removal of expired members, if there were any, then runs `value`. */
async function sweepThen<T>(draft: Draft, expired: readonly string[], catalog: TopicCatalog, value: () => T): Promise<Decision<T>> {
  if (expired.length === 0) return { value };
  return { effects: draft.effects(await catalog.snapshot(draft.subscribedTopics())), value };
}
