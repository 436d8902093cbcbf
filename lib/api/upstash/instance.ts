/**
 * An Upstash consumer instance, kept without server memory: the instance id is a static member
 * (`instanceId`) of the consumer group (lib/groups: membership, assignment, fencing and offsets are
 * the groups code's, not a second mechanism), and the instance item in the groups table
 * (lib/storage/upstash-instances.ts) remembers its member id, its settings and its consumed
 * positions. Each consume call is a heartbeat (or a join, for a new or expired instance), so an
 * instance lives while it keeps calling and expires after its session timeout like any member.
 */
import { StreambedError, isStreambedError } from '../../errors';
import { commitOffsets, heartbeat, joinGroup, validateGroupName, GROUP_LIMITS, type OffsetCommit, type TopicPartition } from '../../groups';
import { telemetry } from '../../observability';
import type { AutoOffsetReset, Storage, UpstashInstanceItem } from '../../storage';
import { parseTpKey } from './shapes';

/** Upstash's defaults (upstash/docs kafka/rest/restconsumer, "Request Headers"). */
export const INSTANCE_DEFAULTS = {
  autoCommit: true,
  autoCommitIntervalMs: 5000,
  autoOffsetReset: 'latest' as AutoOffsetReset,
  sessionTimeoutMs: 120_000,
} as const;

export type InstanceState = { -readonly [K in keyof Omit<UpstashInstanceItem, 'version'>]: UpstashInstanceItem[K] };

export interface Session {
  readonly group: string;
  readonly instanceId: string;
  /** The instance as it will be written back (positions are updated in place). */
  readonly state: InstanceState & { positions: Record<string, number> };
  /** The stored item's version (0: none): the condition of the write back. */
  readonly version: number;
  /** The stored state as read (JSON), to skip a write back that would change nothing. */
  readonly stored?: string;
  /** This member's partitions in the current generation. */
  readonly assignment: readonly TopicPartition[];
}

export function validateInstanceId(instanceId: string): void {
  if (instanceId.length < 1 || instanceId.length > GROUP_LIMITS.maxMemberIdLength) {
    throw new StreambedError('INVALID_REQUEST', `instance id must be 1 to ${GROUP_LIMITS.maxMemberIdLength} characters`);
  }
}

/**
 * The instance's settings from the Kafka-* request headers. As on Upstash they apply when the
 * instance is created (first call, or after it expired); later calls keep the settings it has.
 */
export function settingsFromHeaders(headers: Readonly<Record<string, string>>): Pick<InstanceState, 'autoCommit' | 'autoCommitIntervalMs' | 'autoOffsetReset' | 'sessionTimeoutMs'> {
  const auto = headers['kafka-enable-auto-commit']?.trim().toLowerCase();
  if (auto !== undefined && auto !== 'true' && auto !== 'false') throw new StreambedError('INVALID_REQUEST', 'Kafka-Enable-Auto-Commit must be true or false');
  const reset = headers['kafka-auto-offset-reset']?.trim().toLowerCase();
  if (reset !== undefined && reset !== 'earliest' && reset !== 'latest' && reset !== 'none') {
    throw new StreambedError('INVALID_REQUEST', 'Kafka-Auto-Offset-Reset must be earliest, latest or none');
  }
  return {
    autoCommit: auto === undefined ? INSTANCE_DEFAULTS.autoCommit : auto === 'true',
    autoCommitIntervalMs: headerInt(headers, 'kafka-auto-commit-interval', INSTANCE_DEFAULTS.autoCommitIntervalMs, 0, 86_400_000),
    autoOffsetReset: (reset as AutoOffsetReset | undefined) ?? INSTANCE_DEFAULTS.autoOffsetReset,
    sessionTimeoutMs: headerInt(headers, 'kafka-session-timeout-ms', INSTANCE_DEFAULTS.sessionTimeoutMs, GROUP_LIMITS.minSessionTimeoutMs, GROUP_LIMITS.maxSessionTimeoutMs),
  };
}

/**
 * Makes sure the instance is a live member subscribed to `topics`: a heartbeat for a live one
 * (a rejoin when the subscription changed), a join (static membership with the instance id) for a
 * new or expired one, whose positions then start over.
 */
export async function openSession(
  storage: Storage,
  group: string,
  instanceId: string,
  topics: readonly string[],
  headers: Readonly<Record<string, string>>,
): Promise<Session> {
  validateGroupName(group);
  validateInstanceId(instanceId);
  const subscription = [...new Set(topics)].sort();
  const stored = await storage.upstashInstances.get(group, instanceId);
  const version = stored?.version ?? 0;
  if (stored) {
    try {
      const same = stored.topics.length === subscription.length && stored.topics.every((t, i) => t === subscription[i]);
      const view = same
        ? { memberId: stored.memberId, ...(await heartbeat(storage, group, stored.memberId, stored.generation)) }
        : await joinGroup(storage, group, { topics: subscription, memberId: stored.memberId, instanceId, sessionTimeoutMs: stored.sessionTimeoutMs });
      if (view.memberId === stored.memberId) {
        const { version: _, ...rest } = stored;
        const state = { ...rest, topics: subscription, generation: view.generation, positions: { ...rest.positions } };
        return { group, instanceId, version, assignment: view.assignment, state, stored: JSON.stringify(rest) };
      }
    } catch (err) {
      if (!isStreambedError(err) || err.code !== 'UNKNOWN_MEMBER_ID') throw err;
    }
  }
  const settings = settingsFromHeaders(headers);
  const view = await joinGroup(storage, group, { topics: subscription, instanceId, sessionTimeoutMs: settings.sessionTimeoutMs });
  return {
    group,
    instanceId,
    version,
    assignment: view.assignment,
    state: { memberId: view.memberId, generation: view.generation, topics: subscription, ...settings, positions: {}, lastCommitAt: Date.now() },
  };
}

/** Writes the session's state back; 503 (retriable) when another call for the instance wrote first. */
export async function saveSession(storage: Storage, session: Session): Promise<void> {
  // An empty poll of a settled instance changes nothing: no write (the heartbeat kept it alive).
  if (session.stored !== undefined && session.stored === JSON.stringify(session.state)) return;
  if (!(await storage.upstashInstances.put(session.group, session.instanceId, session.version, session.state))) {
    throw new StreambedError('UNAVAILABLE', `consumer instance "${session.instanceId}" of group "${session.group}" was used by another call at the same time; retry`);
  }
}

/** Positions (`topic#partition` → offset) as offset commits. */
export function commitsOf(positions: Readonly<Record<string, number>>): OffsetCommit[] {
  return Object.entries(positions).map(([key, offset]) => ({ ...parseTpKey(key), offset }));
}

/**
 * An automatic commit (periodic, on revocation, on close), as Kafka's consumer makes it: a commit
 * the group refuses (the member was replaced, or the group moved on) is logged and dropped; the
 * records are then delivered again to their next owner (at least once).
 */
export async function autoCommit(storage: Storage, group: string, memberId: string, generation: number, offsets: OffsetCommit[]): Promise<void> {
  if (offsets.length === 0) return;
  try {
    await commitOffsets(storage, group, { memberId, generation, offsets });
  } catch (err) {
    if (isStreambedError(err) && ['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'UNKNOWN_TOPIC_OR_PARTITION'].includes(err.code)) {
      telemetry().logger.warn('upstash auto-commit refused', { group, code: err.code, message: err.message });
      return;
    }
    throw err;
  }
}

function headerInt(headers: Readonly<Record<string, string>>, name: string, fallback: number, min: number, max: number): number {
  const raw = headers[name];
  if (raw === undefined) return fallback;
  const n = Number(raw.trim());
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new StreambedError('INVALID_REQUEST', `header ${name} must be an integer from ${min} to ${max}, got "${raw.slice(0, 50)}"`);
  return n;
}
