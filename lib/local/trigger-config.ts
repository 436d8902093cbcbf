/**
 * The local stack's trigger configuration (API.md, "Local stack"): STREAMBED_CONFIG names a JSON
 * file `{"triggers": [...]}`; each entry holds the trigger settings (lib/triggers/settings.ts)
 * plus `handler: "<path to an ES module>#<export>"`, the path relative to the config file. The
 * file is validated (zod) and every handler imported before the stack starts, so a bad config
 * fails start-up with a message naming the entry and the field.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { parseTriggerList, describeIssues, type TriggerSettings } from '../triggers/settings';

/** A handler as Lambda calls it: `handler(event, context)`, returning (a promise of) the response. */
export type LocalHandler = (event: unknown, context: unknown) => unknown;

export interface LocalTrigger {
  readonly settings: TriggerSettings;
  readonly handler: LocalHandler;
  /** `<module path>#<export>` as written, for messages. */
  readonly handlerRef: string;
}

/** A config file that cannot be used; the message says what to fix. */
export class TriggerConfigError extends Error {
  constructor(file: string, message: string) {
    super(`STREAMBED_CONFIG ${file}: ${message}`);
    this.name = 'TriggerConfigError';
  }
}

const fileSchema = z
  .object({
    triggers: z.array(z.looseObject({ handler: z.string().regex(/^[^#]+#[A-Za-z_$][\w$]*$/, 'handler must be "<path to an ES module>#<export name>"') })).default([]),
  })
  .strict();

export async function loadTriggerConfig(file: string): Promise<LocalTrigger[]> {
  const abs = path.resolve(file);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(abs, 'utf8'));
  } catch (err) {
    throw new TriggerConfigError(file, `cannot be read as JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) throw new TriggerConfigError(file, describeIssues(parsed.error));
  const entries = parsed.data.triggers;
  let settings: TriggerSettings[];
  try {
    settings = parseTriggerList(entries.map(({ handler: _handler, ...rest }) => rest));
  } catch (err) {
    throw new TriggerConfigError(file, err instanceof Error ? err.message : String(err));
  }
  const triggers: LocalTrigger[] = [];
  for (let i = 0; i < entries.length; i++) {
    const ref = entries[i].handler;
    const hash = ref.lastIndexOf('#');
    const modulePath = path.resolve(path.dirname(abs), ref.slice(0, hash));
    const exportName = ref.slice(hash + 1);
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
    } catch (err) {
      throw new TriggerConfigError(file, `triggers[${i}].handler: cannot import ${modulePath} (${err instanceof Error ? err.message : String(err)})`);
    }
    const fn = mod[exportName];
    if (typeof fn !== 'function') throw new TriggerConfigError(file, `triggers[${i}].handler: ${modulePath} has no exported function "${exportName}"`);
    triggers.push({ settings: settings[i], handler: fn as LocalHandler, handlerRef: ref });
  }
  return triggers;
}
