export { appendRecords, type AppendResult } from './append';
export { readRecords, waitForData, leaderState, checkOffsetInRange, recordSize, type ReadResult, type ReadLimits } from './read';
export { listOffset, type OffsetSpec } from './offsets';
export {
  createTopic,
  requireTopic,
  requirePartition,
  describePartitions,
  deleteTopic,
  resolveTopicConfig,
  validateTopicName,
  validatePartitionCount,
  DEFAULT_TOPIC_CONFIG,
  MAX_PARTITIONS,
  type PartitionInfo,
} from './topics';
export { failpoint, setFailpoint, parseFailpoints, InjectedFault, FAILPOINTS } from './failpoints';
