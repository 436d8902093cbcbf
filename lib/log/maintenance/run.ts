/**
 * One maintenance run over every partition of every topic, under the maintenance lease (at most
 * one run changes the log at a time):
 *
 *   1. per partition: retention, then compaction (both from one leader read and one index read,
 *      re-read when retention changed something);
 *   2. the sweep of due pending deletions;
 *   3. per partition: orphan garbage collection; then leftovers of deleted topics.
 *
 * A run starts no new partition, merge or phase once its budget is spent, and reports itself
 * `incomplete`: the next run carries on. A failure in one partition is logged and counted; the
 * others go on. Every action is one structured log event; the run ends with a summary event.
 */
import { randomUUID } from 'node:crypto';
import { isStreambedError } from '../../errors';
import type { Storage, TopicItem } from '../../storage';
import { segmentChain } from './chain';
import { compactPartition } from './compaction';
import { maintenanceConfig, type MaintenanceConfig } from './config';
import { sweepDeletions } from './deletions';
import { collectDeletedTopics, collectOrphans } from './gc';
import { applyRetention } from './retention';

/** What a run did (also logged as its `run` event). */
export interface MaintenanceReport {
  runId: string;
  /** Set when another run held the lease: this one did nothing. */
  skipped?: string;
  /** The budget ran out before every step was done. */
  incomplete: boolean;
  partitions: number;
  retention: { partitionsAdvanced: number; entriesRemoved: number; bytes: number };
  compaction: { merges: number; segmentsMerged: number; bytesWritten: number; coveredRemoved: number };
  deletions: { deleted: number; bytes: number; waiting: number; stillReferenced: number };
  gc: { orphans: number; orphanBytes: number; deletedTopics: number; deletedTopicObjects: number };
  errors: number;
  ms: number;
}

export async function runMaintenance(storage: Storage, config: MaintenanceConfig = maintenanceConfig()): Promise<MaintenanceReport> {
  const runId = randomUUID();
  const startedAt = Date.now();
  const deadline = startedAt + config.budgetMs;
  const report: MaintenanceReport = {
    runId,
    incomplete: false,
    partitions: 0,
    retention: { partitionsAdvanced: 0, entriesRemoved: 0, bytes: 0 },
    compaction: { merges: 0, segmentsMerged: 0, bytesWritten: 0, coveredRemoved: 0 },
    deletions: { deleted: 0, bytes: 0, waiting: 0, stillReferenced: 0 },
    gc: { orphans: 0, orphanBytes: 0, deletedTopics: 0, deletedTopicObjects: 0 },
    errors: 0,
    ms: 0,
  };
  if (!(await storage.maintenance.acquireLease(runId, startedAt, config.budgetMs + config.leaseMarginMs))) {
    const lease = await storage.maintenance.getLease();
    report.skipped = `another run (${lease?.holder ?? 'unknown'}) holds the maintenance lease until ${lease ? new Date(lease.expiresAt).toISOString() : 'now'}`;
    config.log({ event: 'run-skipped', runId, why: report.skipped });
    return { ...report, ms: Date.now() - startedAt };
  }
  const inBudget = (): boolean => {
    if (Date.now() < deadline) return true;
    report.incomplete = true;
    return false;
  };
  const failed = (phase: string, where: Record<string, unknown>, err: unknown): void => {
    report.errors += 1;
    const error = isStreambedError(err) ? `${err.code}: ${err.message}` : err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    config.log({ level: 'error', event: 'error', runId, phase, ...where, error });
  };

  try {
    const topics = await storage.topics.list();
    const partitions = topics.flatMap((topic) => Array.from({ length: topic.partitions }, (_, partition) => ({ topic, partition })));
    report.partitions = partitions.length;

    await forEachLimited(partitions, config.concurrency, async ({ topic, partition }) => {
      if (!inBudget()) return;
      try {
        await retainAndCompact(storage, config, topic, partition, report, inBudget);
      } catch (err) {
        failed('retention/compaction', { topic: topic.name, partition }, err);
      }
    });

    if (inBudget()) {
      try {
        Object.assign(report.deletions, await sweepDeletions(storage, config));
      } catch (err) {
        failed('deletions', {}, err);
      }
    }

    let pendingKeys: Set<string> | undefined;
    if (inBudget()) {
      try {
        pendingKeys = new Set((await storage.maintenance.listDeletions()).map((d) => d.key));
      } catch (err) {
        failed('gc', {}, err);
      }
    }
    if (pendingKeys && inBudget()) {
      const pending = pendingKeys;
      await forEachLimited(partitions, config.concurrency, async ({ topic, partition }) => {
        if (!inBudget()) return;
        try {
          const r = await collectOrphans(storage, config, topic, partition, pending);
          report.gc.orphans += r.deleted;
          report.gc.orphanBytes += r.bytes;
        } catch (err) {
          failed('gc', { topic: topic.name, partition }, err);
        }
      });
    }

    if (inBudget()) {
      try {
        const r = await collectDeletedTopics(storage, config);
        report.gc.deletedTopics = r.topicIds;
        report.gc.deletedTopicObjects = r.objects;
      } catch (err) {
        failed('deleted-topics', {}, err);
      }
    }
  } finally {
    await storage.maintenance.releaseLease(runId).catch((err: unknown) => failed('lease', {}, err));
  }
  report.ms = Date.now() - startedAt;
  config.log({ event: 'run', ...report, changed: changed(report) });
  return report;
}

async function retainAndCompact(
  storage: Storage,
  config: MaintenanceConfig,
  topic: TopicItem,
  partition: number,
  report: MaintenanceReport,
  inBudget: () => boolean,
): Promise<void> {
  const { topicId } = topic;
  // The leader record first, then the index (segmentChain relies on that order).
  let leader = await storage.leaders.get(topicId, partition);
  if (!leader?.lastCommit) return;
  let chain = segmentChain(leader, await storage.index.list(topicId, partition));
  if (chain.problem) {
    config.log({ level: 'warn', event: 'index-anomaly', topic: topic.name, topicId, partition, problem: chain.problem });
    return;
  }
  const retained = await applyRetention(storage, config, topic, partition, leader, chain);
  if (retained.to > retained.from) report.retention.partitionsAdvanced += 1;
  report.retention.entriesRemoved += retained.entriesRemoved;
  report.retention.bytes += retained.bytesScheduled;
  if (retained.to !== retained.from || retained.entriesRemoved > 0) {
    leader = await storage.leaders.get(topicId, partition);
    if (!leader?.lastCommit) return;
    chain = segmentChain(leader, await storage.index.list(topicId, partition));
    if (chain.problem) return;
  }
  if (!inBudget()) return;
  const compacted = await compactPartition(storage, config, topic, partition, leader, chain, inBudget);
  report.compaction.merges += compacted.merges;
  report.compaction.segmentsMerged += compacted.segmentsMerged;
  report.compaction.bytesWritten += compacted.bytesWritten;
  report.compaction.coveredRemoved += compacted.coveredRemoved;
}

function changed(r: MaintenanceReport): boolean {
  return (
    r.retention.partitionsAdvanced + r.retention.entriesRemoved + r.compaction.merges + r.compaction.coveredRemoved +
      r.deletions.deleted + r.gc.orphans + r.gc.deletedTopics + r.errors >
    0
  );
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) await work(items[i]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
