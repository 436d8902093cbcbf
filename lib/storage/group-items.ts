/**
 * The items of the groups table (pk `group`, sk `key`) and their keys; the table's access is in
 * groups-table.ts. Sort keys order as `member#…` < `meta` < `offset#…`, so one Query with
 * `key BETWEEN 'member#' AND 'meta'` reads a group's members and meta item and no offsets.
 */

export const GROUP_META_KEY = 'meta';
export const MEMBER_PREFIX = 'member#';
/** Partition key of the group directory. */
export const GROUP_DIRECTORY = '#groups';
/** DynamoDB's item limit is 400 KB; a group write that would come near it is refused. */
export const MAX_GROUP_ITEM_BYTES = 350 * 1024;

export function offsetKey(topic: string, partition: number): string {
  return `offset#${topic}#${partition}`;
}

export function memberKey(memberId: string): string {
  return `${MEMBER_PREFIX}${memberId}`;
}

export interface GroupMemberItem {
  readonly instanceId?: string;
  readonly topics: string[];
  readonly joinedAt: number;
}

/** A member's liveness item. */
export interface MemberLiveness {
  /** Epoch ms of its last join or heartbeat. */
  readonly seen: number;
  readonly sessionTimeoutMs: number;
}

export interface TopicSnapshotItem {
  readonly topicId: string;
  readonly partitions: number;
}

export interface GroupMetaItem {
  readonly group: string;
  readonly version: number;
  readonly generation: number;
  readonly members: Record<string, GroupMemberItem>;
  /** memberId → topic → partitions. */
  readonly assignment: Record<string, Record<string, number[]>>;
  /** The topics (that existed) the assignment was computed from. */
  readonly topics: Record<string, TopicSnapshotItem>;
  /** Set once an offset was committed: the group is listed even without members. */
  readonly hasOffsets?: boolean;
  readonly updatedAt: number;
}

/** A group as read: its meta item (if any) and the liveness items of its members. */
export interface GroupRead {
  readonly meta?: GroupMetaItem;
  readonly liveness: Record<string, MemberLiveness>;
}

/** A new structure for the group. */
export interface GroupMetaWrite {
  readonly version: number;
  readonly generation: number;
  readonly members: Record<string, GroupMemberItem>;
  readonly assignment: Record<string, Record<string, number[]>>;
  readonly topics: Record<string, TopicSnapshotItem>;
}

export interface OffsetItem {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly metadata: string | null;
  /** Generation the commit was made under (the group's current one for a standalone commit). */
  readonly generation: number;
  /** Topic incarnation: a commit to a deleted topic does not count for a new one of the same name. */
  readonly topicId: string;
  readonly memberId?: string;
  readonly committedAt: number;
}
