/**
 * Trigger settings (API.md, "Event-source triggers"): the same names as the props of the CDK
 * construct (infra/topic-trigger.ts) and the entries of the local config (STREAMBED_CONFIG).
 * Validated with zod; defaults filled in here and nowhere else.
 */
import { z } from 'zod';
import { StreambedError } from '../errors';

export const STARTING_POSITIONS = ['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'] as const;
export type StartingPosition = (typeof STARTING_POSITIONS)[number];

const NAME = /^[a-zA-Z0-9._-]{1,240}$/;
const TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

export const TRIGGER_DEFAULTS = {
  batchSize: 100,
  maximumBatchingWindowMs: 500,
  startingPosition: 'LATEST' as StartingPosition,
  maximumRetryAttempts: -1,
  maximumRecordAgeSeconds: -1,
  bisectBatchOnFunctionError: false,
  reportBatchItemFailures: false,
} as const;

export const triggerSettingsSchema = z
  .object({
    name: z.string().regex(NAME, 'name must be 1-240 characters of [a-zA-Z0-9._-]'),
    topic: z.string().regex(TOPIC, 'topic must be 1-249 characters of [a-zA-Z0-9._-]'),
    batchSize: z.number().int().min(1).max(10_000).default(TRIGGER_DEFAULTS.batchSize),
    maximumBatchingWindowMs: z.number().int().min(0).max(300_000).default(TRIGGER_DEFAULTS.maximumBatchingWindowMs),
    startingPosition: z.enum(STARTING_POSITIONS).default(TRIGGER_DEFAULTS.startingPosition),
    startingPositionTimestamp: z.number().int().min(0).optional(),
    maximumRetryAttempts: z.number().int().min(-1).max(10_000).default(TRIGGER_DEFAULTS.maximumRetryAttempts),
    maximumRecordAgeSeconds: z.number().int().min(-1).max(604_800).default(TRIGGER_DEFAULTS.maximumRecordAgeSeconds),
    bisectBatchOnFunctionError: z.boolean().default(TRIGGER_DEFAULTS.bisectBatchOnFunctionError),
    reportBatchItemFailures: z.boolean().default(TRIGGER_DEFAULTS.reportBatchItemFailures),
    onFailureTopic: z.string().regex(TOPIC, 'onFailureTopic must be 1-249 characters of [a-zA-Z0-9._-]').optional(),
  })
  .strict()
  .refine((t) => t.startingPosition !== 'AT_TIMESTAMP' || t.startingPositionTimestamp !== undefined, {
    message: 'startingPosition AT_TIMESTAMP needs startingPositionTimestamp (epoch ms)',
    path: ['startingPositionTimestamp'],
  })
  .refine((t) => t.onFailureTopic !== t.topic, { message: 'onFailureTopic must not be the trigger topic itself', path: ['onFailureTopic'] });

/** A trigger's settings with every default filled in. */
export type TriggerSettings = z.output<typeof triggerSettingsSchema>;
/** Settings as written (defaults optional). */
export type TriggerSettingsInput = z.input<typeof triggerSettingsSchema>;

/** The consumer group that holds a trigger's position. */
export function triggerGroup(name: string): string {
  return `trigger.${name}`;
}

/** Checks and completes settings; INVALID_CONFIG naming each bad field otherwise. */
export function parseTriggerSettings(input: unknown, where = 'trigger'): TriggerSettings {
  const result = triggerSettingsSchema.safeParse(input);
  if (!result.success) throw new StreambedError('INVALID_CONFIG', `${where}: ${describeIssues(result.error)}`);
  return result.data;
}

/** Several triggers: also checks that names are unique. */
export function parseTriggerList(input: unknown, where = 'triggers'): TriggerSettings[] {
  if (!Array.isArray(input)) throw new StreambedError('INVALID_CONFIG', `${where} must be an array of trigger settings`);
  const list = input.map((t, i) => parseTriggerSettings(t, `${where}[${i}]`));
  const seen = new Set<string>();
  for (const t of list) {
    if (seen.has(t.name)) throw new StreambedError('INVALID_CONFIG', `${where}: trigger name "${t.name}" appears twice`);
    seen.add(t.name);
  }
  return list;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}
