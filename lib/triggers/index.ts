/** Event-source triggers: deliver a topic's records to functions like Lambda's Kafka event source mapping (docs/triggers.md). */
export { parseTriggerSettings, parseTriggerList, triggerGroup, TRIGGER_DEFAULTS, STARTING_POSITIONS, type TriggerSettings, type TriggerSettingsInput, type StartingPosition } from './settings';
export { buildEvent, readBatchResponse, type SelfManagedKafkaEvent, type KafkaEventRecord, type BatchOutcome } from './event';
export { deliverBatch, type BatchDeliveryDeps, type DeliveryReport } from './batch-delivery';
export { FAILURE_HEADERS } from './failure-topic';
export { PartitionLease, type LeaseOptions } from './lease';
export { PartitionDispatcher, LeaseLostError, type FunctionInvoker, type TriggerLog } from './partition-dispatcher';
export { runTriggerPass, startTriggerLoop, DEFAULT_LEASE_MS, type TriggerRunOptions, type TriggerLoop, type PassReport } from './trigger-runner';
