/** Shared helpers of the trigger tests: config files, the handlers' JSON-lines log, waiting. */
import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HANDLERS = fileURLToPath(new URL('./fixtures/handlers.mjs', import.meta.url));

export interface LoggedRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: string;
  key?: string;
  value?: string;
  headers: Array<Record<string, number[]>>;
}

export interface LoggedInvocation {
  trigger: string;
  pid: number;
  ok: boolean;
  event: { eventSource: string; bootstrapServers: string; records: Record<string, LoggedRecord[]> };
}

/** Writes `{"triggers": [...]}` into `dir` with handlers given as `#<export>` of fixtures/handlers.mjs. */
export async function writeConfig(dir: string, triggers: Array<Record<string, unknown>>): Promise<string> {
  const file = join(dir, 'streambed.json');
  // Relative to the config file, as API.md says.
  const rel = (await import('node:path')).relative(dir, HANDLERS);
  await writeFile(file, JSON.stringify({ triggers: triggers.map((t) => ({ ...t, handler: `${rel}${t.handler as string}` })) }));
  return file;
}

export async function readLog(file: string): Promise<LoggedInvocation[]> {
  if (!existsSync(file)) return [];
  const text = await readFile(file, 'utf8');
  // A line still being written (no newline yet) is left for the next read.
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as LoggedInvocation);
}

export function recordsOf(inv: LoggedInvocation): LoggedRecord[] {
  return Object.values(inv.event.records).flat();
}

/** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes; then throws with `describe()`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number, describe: () => Promise<string> | string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${await describe()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const text = (b64: string | undefined): string | null => (b64 === undefined ? null : Buffer.from(b64, 'base64').toString('utf8'));
