/** Reading a group's live members and their partitions (for GET /consumers), with lib/groups' own rules. */
import { assignmentOf, isLive } from '../../groups/group-state';
import type { TopicPartition } from '../../groups';
import type { GroupRead } from '../../storage';

export function liveMemberIds(read: GroupRead, now: number): string[] {
  return Object.keys(read.meta?.members ?? {}).filter((id) => isLive(read, id, now));
}

export function assignmentOfMember(read: GroupRead, memberId: string): TopicPartition[] {
  return assignmentOf(read.meta?.assignment, memberId);
}
