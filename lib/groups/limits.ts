/** Names and bounds of consumer groups, checked in one place. */
import { StreambedError } from '../errors';

const GROUP_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/** Group names as topic names: 1 to 249 of `[a-zA-Z0-9._-]`, not `.` or `..` (trigger groups are `trigger.<name>`). */
export function validateGroupName(group: string): void {
  if (!GROUP_NAME.test(group) || group === '.' || group === '..') {
    throw new StreambedError('INVALID_REQUEST', `group name "${group.slice(0, 300)}" is invalid: use 1 to 249 characters of [a-zA-Z0-9._-], and not "." or ".."`);
  }
}

export const GROUP_LIMITS = {
  /** Kafka's consumer default (session.timeout.ms). */
  defaultSessionTimeoutMs: 45_000,
  minSessionTimeoutMs: 500,
  /** Kafka's group.max.session.timeout.ms default. */
  maxSessionTimeoutMs: 1_800_000,
  /** Live members of one group; the group's state is one DynamoDB item (≤ 400 KB). */
  maxMembers: 500,
  /** Topics one member may subscribe to. */
  maxTopicsPerMember: 100,
  /** Kafka's offset.metadata.max.bytes. */
  maxMetadataBytes: 4096,
  /** Members removed for silence by one write; more are removed by the following calls. */
  maxExpiriesPerWrite: 50,
  /** How long one call keeps retrying a group write that lost a race, before 503. */
  updateBudgetMs: 10_000,
  /** Member ids in paths and bodies. */
  maxMemberIdLength: 255,
} as const;
