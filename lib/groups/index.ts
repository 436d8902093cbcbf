export { joinGroup, heartbeat, leaveGroup, type JoinRequest, type HeartbeatResult } from './membership';
export { commitOffsets, fetchOffsets, type CommitRequest, type OffsetCommit, type OffsetRow } from './offsets';
export { commitFencedOffset, committedOffsets } from './fenced-offsets';
export { listGroups, type GroupSummary } from './listing';
export { assignPartitions, movedPartitions, type Assignment, type AssignorInput, type AssignorMember } from './assignor';
export { validateGroupName, GROUP_LIMITS } from './limits';
export type { TopicPartition, MemberView } from './types';
