/** Shapes shared by the consumer-group modules (lib/groups). */

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** What a member sees after a join or a heartbeat. */
export interface MemberView {
  readonly memberId: string;
  readonly generation: number;
  /** This member's partitions in `generation`, sorted by topic then partition. */
  readonly assignment: TopicPartition[];
}
