/**
 * Runs one trigger over every partition of its topic, in one of two ways:
 * - `runTriggerPass` (the dispatch Lambda): for each partition whose lease it gets, deliver until
 *   caught up or out of time, then release the lease. Woken by DynamoDB Streams on the leader
 *   records and by a scheduled sweep (docs/triggers.md).
 * - `startTriggerLoop` (the local stack): one long-lived loop per partition that holds its lease,
 *   waits for new records on the in-process commit notifier (and a timer, for commits made by
 *   other processes), and stops cleanly.
 * Either way the trigger waits while its topic or its failure topic does not exist.
 */
import { randomUUID } from 'node:crypto';
import type { Storage, TopicItem } from '../storage';
import { committedOffsets } from '../groups';
import { leaderState, waitForData } from '../log';
import { PartitionLease } from './lease';
import { LeaseLostError, PartitionDispatcher, type FunctionInvoker, type TriggerLog } from './partition-dispatcher';
import { triggerGroup, type TriggerSettings } from './settings';

export interface TriggerRunOptions {
  readonly storage: Storage;
  readonly settings: TriggerSettings;
  readonly invoke: FunctionInvoker;
  /** The API URL (the event's `bootstrapServers`). */
  readonly bootstrapServers: string;
  /** Lease duration (default 30 s). */
  readonly leaseMs?: number;
  /** Lease owner id (default a random one per process). */
  readonly owner?: string;
  readonly log?: TriggerLog;
}

export const DEFAULT_LEASE_MS = 30_000;
const PROCESS_OWNER = randomUUID();
/** Local loop: longest wait for records before re-reading the leader record (commits from other processes). */
const IDLE_POLL_MS = 1_000;
/** Local loop: pause after an error, and between checks for a missing topic or a held lease. */
const RETRY_PAUSE_MS = 1_000;
/** Local loop: how often an idle partition checks that its topic was not deleted (or re-created). */
const TOPIC_CHECK_MS = 10_000;

interface Topics {
  readonly topic: TopicItem;
  readonly failureTopic?: TopicItem;
}

/** The trigger's topics, or undefined (with the reason logged once per caller) while one does not exist. */
async function resolveTopics(storage: Storage, settings: TriggerSettings): Promise<Topics | undefined> {
  const topic = await storage.topics.get(settings.topic);
  if (!topic) return undefined;
  if (settings.onFailureTopic === undefined) return { topic };
  const failureTopic = await storage.topics.get(settings.onFailureTopic);
  return failureTopic ? { topic, failureTopic } : undefined;
}

export interface PassReport {
  readonly waitingForTopic: boolean;
  readonly partitions: number;
  readonly skipped: number;
  readonly batches: number;
}

/** One bounded pass (Lambda): every partition in `only` (default all), `concurrency` at a time. */
export async function runTriggerPass(o: TriggerRunOptions, budgetMs: number, only?: ReadonlySet<number>, concurrency = 8): Promise<PassReport> {
  const deadline = Date.now() + budgetMs;
  const topics = await resolveTopics(o.storage, o.settings);
  if (!topics) return { waitingForTopic: true, partitions: 0, skipped: 0, batches: 0 };
  const partitions = [...Array(topics.topic.partitions).keys()].filter((p) => !only || only.has(p));
  // An idle sweep stays read-only: a partition whose position is at its high watermark is not leased.
  const committed = await committedOffsets(o.storage, triggerGroup(o.settings.name), topics.topic);
  let skipped = 0;
  let batches = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < partitions.length) {
      const partition = partitions[next++];
      const position = committed.get(partition);
      if (position !== undefined && (await leaderState(o.storage, topics.topic, partition)).logEndOffset <= position) continue;
      const lease = await acquire(o, partition);
      if (!lease) {
        skipped++;
        continue;
      }
      try {
        const d = new PartitionDispatcher({ ...o, ...topics, partition, lease });
        await d.start();
        while (Date.now() < deadline && (await d.step()) === 'delivered') batches++;
      } catch (err) {
        o.log?.({ level: 'error', event: 'trigger-error', trigger: o.settings.name, partition, error: String(err) });
      } finally {
        await lease.release();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, partitions.length) }, worker));
  return { waitingForTopic: false, partitions: partitions.length, skipped, batches };
}

export interface TriggerLoop {
  /** Stops delivering (a batch in flight finishes first) and releases the leases. */
  stop(): Promise<void>;
}

/** The long-lived local loop of one trigger. */
export function startTriggerLoop(o: TriggerRunOptions): TriggerLoop {
  const abort = new AbortController();
  const { signal } = abort;
  const done = (async () => {
    let reportedWaiting = false;
    while (!signal.aborted) {
      const topics = await resolveTopics(o.storage, o.settings).catch(() => undefined);
      if (!topics) {
        if (!reportedWaiting) {
          o.log?.({ level: 'info', event: 'trigger-waiting-for-topic', trigger: o.settings.name, topic: o.settings.topic, onFailureTopic: o.settings.onFailureTopic });
          reportedWaiting = true;
        }
        await pause(RETRY_PAUSE_MS, signal);
        continue;
      }
      reportedWaiting = false;
      // Until stopped, or until the topic is deleted or re-created (a new topic id): then start over.
      const gone = new AbortController();
      const either = AbortSignal.any([signal, gone.signal]);
      await Promise.all([...Array(topics.topic.partitions).keys()].map((partition) => partitionLoop(o, topics, partition, either, () => gone.abort())));
    }
  })();
  return {
    async stop() {
      abort.abort();
      await done;
    },
  };
}

async function partitionLoop(o: TriggerRunOptions, topics: Topics, partition: number, signal: AbortSignal, topicGone: () => void): Promise<void> {
  let checkedAt = Date.now();
  while (!signal.aborted) {
    let lease: PartitionLease | undefined;
    try {
      lease = await acquire(o, partition);
      if (!lease) {
        await pause(RETRY_PAUSE_MS, signal);
        continue;
      }
      const d = new PartitionDispatcher({ ...o, ...topics, partition, lease, signal });
      await d.start();
      while (!signal.aborted && !lease.lost) {
        if ((await d.step()) !== 'idle') continue;
        await waitForData(o.storage, topics.topic, partition, d.nextOffset, IDLE_POLL_MS);
        if (Date.now() - checkedAt > TOPIC_CHECK_MS) {
          checkedAt = Date.now();
          const current = await o.storage.topics.get(o.settings.topic);
          if (current?.topicId !== topics.topic.topicId) {
            o.log?.({ level: 'info', event: 'trigger-topic-changed', trigger: o.settings.name, topic: o.settings.topic });
            topicGone();
          }
        }
      }
    } catch (err) {
      if (!signal.aborted) {
        o.log?.({ level: err instanceof LeaseLostError ? 'warn' : 'error', event: 'trigger-error', trigger: o.settings.name, partition, error: String(err) });
        await pause(RETRY_PAUSE_MS, signal);
      }
    } finally {
      await lease?.release();
    }
  }
}

function acquire(o: TriggerRunOptions, partition: number): Promise<PartitionLease | undefined> {
  return PartitionLease.acquire(o.storage, triggerGroup(o.settings.name), o.settings.topic, partition, {
    leaseMs: o.leaseMs ?? DEFAULT_LEASE_MS,
    owner: o.owner ?? PROCESS_OWNER,
  });
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(finish, ms);
    function finish(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    }
    signal.addEventListener('abort', finish, { once: true });
  });
}
