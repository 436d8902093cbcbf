/**
 * Runs the configured triggers inside the local stack process: one dispatcher loop per trigger
 * (lib/triggers startTriggerLoop), woken by the in-process commit notifier and a timer, calling
 * each handler as Lambda would (`handler(event, context)`; a throw or a rejected promise is a
 * function error). Stopped with the stack.
 */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../storage';
import { startTriggerLoop, DEFAULT_LEASE_MS, type TriggerLoop } from '../triggers';
import type { LocalTrigger } from './trigger-config';

export interface TriggerHost {
  stop(): Promise<void>;
}

/** STREAMBED_TRIGGER_LEASE_MS: how long a killed stack's leases keep a restarted one waiting (default 30 s). */
export function triggerLeaseMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.STREAMBED_TRIGGER_LEASE_MS;
  if (raw === undefined || raw === '') return DEFAULT_LEASE_MS;
  const ms = Number(raw);
  if (!Number.isSafeInteger(ms) || ms < 300) throw new Error(`STREAMBED_TRIGGER_LEASE_MS=${raw} is not a number of milliseconds ≥ 300`);
  return ms;
}

export function startTriggerHost(storage: Storage, triggers: readonly LocalTrigger[], apiUrl: string, leaseMs: number): TriggerHost {
  const loops: TriggerLoop[] = triggers.map((t) =>
    startTriggerLoop({
      storage,
      settings: t.settings,
      bootstrapServers: apiUrl,
      leaseMs,
      log: (event) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`),
      invoke: async (event) => t.handler(event, lambdaContext(t.settings.name)),
    }),
  );
  return {
    async stop() {
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}

/** The parts of Lambda's context object a handler commonly reads. */
function lambdaContext(name: string): Record<string, unknown> {
  const deadline = Date.now() + 900_000;
  return {
    functionName: `streambed-trigger-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:streambed-trigger-${name}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/streambed-trigger-${name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}
