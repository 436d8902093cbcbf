/**
 * The dispatch Lambda's logic (functions/dispatch.ts is its thin entry point). One function per
 * trigger (infra/topic-trigger.ts), configured by its environment:
 * - `STREAMBED_TRIGGER`: the trigger settings as JSON (validated here; defaults filled in);
 * - `STREAMBED_TRIGGER_TARGET`: the target function's name or ARN;
 * - `STREAMBED_API_URL`: the API URL, the event's `bootstrapServers`.
 *
 * It is woken two ways (docs/triggers.md, "Wake-up on AWS"): by DynamoDB Streams on the leader
 * records table (KEYS_ONLY: topicId and partition of every commit), when it dispatches only the
 * partitions of its topic named in the stream batch; and by an EventBridge schedule (the sweep),
 * when it dispatches every partition. Either way it delivers until caught up or out of time. It
 * never throws: a failed pass is logged, and the next stream record or sweep picks the work up
 * (a stream batch that threw would be retried and block the shard for every trigger).
 */
import type { Storage } from '../storage';
import type { FunctionInvoker, TriggerLog } from './partition-dispatcher';
import { parseTriggerSettings, type TriggerSettings } from './settings';
import { runTriggerPass, type PassReport } from './trigger-runner';

export const DISPATCH_ENV = {
  settings: 'STREAMBED_TRIGGER',
  target: 'STREAMBED_TRIGGER_TARGET',
  apiUrl: 'STREAMBED_API_URL',
  leaseMs: 'STREAMBED_TRIGGER_LEASE_MS',
} as const;

export interface DispatchConfig {
  readonly settings: TriggerSettings;
  readonly target: string;
  readonly apiUrl: string;
  readonly leaseMs?: number;
}

export function dispatchConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DispatchConfig {
  const raw = env[DISPATCH_ENV.settings];
  const target = env[DISPATCH_ENV.target];
  if (!raw || !target) throw new Error(`${DISPATCH_ENV.settings} and ${DISPATCH_ENV.target} must be set (infra/topic-trigger.ts sets them)`);
  const leaseMs = env[DISPATCH_ENV.leaseMs] ? Number(env[DISPATCH_ENV.leaseMs]) : undefined;
  return { settings: parseTriggerSettings(JSON.parse(raw), DISPATCH_ENV.settings), target, apiUrl: env[DISPATCH_ENV.apiUrl] ?? '', leaseMs };
}

/** The stream record fields the dispatcher reads (a KEYS_ONLY DynamoDB stream of the leader records). */
interface StreamRecordLike {
  readonly eventSource?: string;
  readonly dynamodb?: { readonly Keys?: Record<string, { S?: string; N?: string }> };
}

/** The partitions of `topicId` named by a DynamoDB stream event; undefined when the event is not one (a sweep). */
export function partitionsFromStream(event: unknown, topicId: string): Set<number> | undefined {
  const records = (event as { Records?: StreamRecordLike[] } | null)?.Records;
  if (!Array.isArray(records)) return undefined;
  const partitions = new Set<number>();
  for (const r of records) {
    const keys = r.dynamodb?.Keys;
    if (r.eventSource !== 'aws:dynamodb' || !keys) continue;
    if (keys.topicId?.S === topicId && keys.partition?.N !== undefined) partitions.add(Number(keys.partition.N));
  }
  return partitions;
}

export async function dispatch(
  storage: Storage,
  config: DispatchConfig,
  invoke: FunctionInvoker,
  event: unknown,
  budgetMs: number,
  log: TriggerLog,
): Promise<PassReport | { readonly skipped: 'not-my-topic' }> {
  const base = { storage, settings: config.settings, invoke, bootstrapServers: config.apiUrl, leaseMs: config.leaseMs, log };
  try {
    let only: Set<number> | undefined;
    if ((event as { Records?: unknown } | null)?.Records !== undefined) {
      const topic = await storage.topics.get(config.settings.topic);
      only = topic ? partitionsFromStream(event, topic.topicId) : new Set();
      if (only && only.size === 0) return { skipped: 'not-my-topic' };
    }
    return await runTriggerPass(base, budgetMs, only);
  } catch (err) {
    log({ level: 'error', event: 'trigger-dispatch-error', trigger: config.settings.name, error: String(err) });
    return { waitingForTopic: false, partitions: 0, skipped: 0, batches: 0 };
  }
}
