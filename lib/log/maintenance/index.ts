/**
 * lib/log/maintenance: the scheduled maintenance job — retention, segment compaction, deferred
 * deletion and orphan garbage collection (docs/maintenance.md). `runMaintenance` is the whole job;
 * the phases are exported for tests and tools.
 */
export { runMaintenance, type MaintenanceReport } from './run';
export {
  maintenanceConfig,
  jsonLineLog,
  MAINTENANCE_DEFAULTS,
  MAINTENANCE_ENV,
  type MaintenanceConfig,
  type MaintenanceEvent,
  type MaintenanceLog,
} from './config';
export { segmentChain, type SegmentChain } from './chain';
export { planRetention, applyRetention, type RetentionPlan, type RetentionResult } from './retention';
export { planCompaction, compactPartition, MAX_SEGMENTS_PER_MERGE, type CompactionResult } from './compaction';
export { mergeSegments, type MergePart, type MergedSegment } from './merge';
export { scheduleDeletions, sweepDeletions, type SweepResult } from './deletions';
export { collectOrphans, collectDeletedTopics, type OrphanResult, type DeletedTopicsResult } from './gc';
