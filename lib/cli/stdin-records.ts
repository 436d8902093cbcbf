/**
 * Turns the lines `streambed produce` reads into messages: the whole line as the value, or
 * `key<sep>value` with `--key-separator`, or one JSON record per line with `--json`
 * (`{"key", "value", "headers", "partition", "timestamp"}`; only `value` is needed, a non-string
 * value is sent as its JSON text, headers as an object or as `[{"key", "value"}]`).
 */
import type { Message, MessageHeaders } from '../client';
import { CliFailure } from './errors';

export type LineFormat = { kind: 'value' } | { kind: 'keyed'; separator: string } | { kind: 'json' };

/** The message of one input line; `undefined` for an empty line (skipped). */
export function parseLine(line: string, lineNumber: number, format: LineFormat): Message | undefined {
  if (line.endsWith('\r')) line = line.slice(0, -1);
  if (line === '') return undefined;
  if (format.kind === 'value') return { value: line };
  if (format.kind === 'keyed') {
    const at = line.indexOf(format.separator);
    if (at < 0) throw bad(lineNumber, `has no key separator ${JSON.stringify(format.separator)}: expected key${format.separator}value`);
    return { key: line.slice(0, at), value: line.slice(at + format.separator.length) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    throw bad(lineNumber, `is not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw bad(lineNumber, 'must be a JSON object {"key", "value", "headers", "partition"}');
  const r = parsed as Record<string, unknown>;
  const message: Message = { value: text(r.value) };
  if (r.key !== undefined && r.key !== null) message.key = text(r.key);
  if (r.partition !== undefined) {
    if (!Number.isSafeInteger(r.partition) || (r.partition as number) < 0) throw bad(lineNumber, '"partition" must be a non-negative integer');
    message.partition = r.partition as number;
  }
  if (r.timestamp !== undefined) {
    if (!Number.isSafeInteger(r.timestamp)) throw bad(lineNumber, '"timestamp" must be epoch milliseconds');
    message.timestamp = r.timestamp as number;
  }
  if (r.headers !== undefined && r.headers !== null) message.headers = headers(r.headers, lineNumber);
  return message;
}

function text(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function headers(h: unknown, lineNumber: number): MessageHeaders {
  const out: Record<string, string[]> = {};
  const add = (k: string, v: unknown): void => {
    (out[k] ??= []).push(text(v) ?? '');
  };
  if (Array.isArray(h)) {
    for (const e of h) {
      if (e === null || typeof e !== 'object' || typeof (e as { key?: unknown }).key !== 'string') throw bad(lineNumber, '"headers" entries must be {"key", "value"}');
      add((e as { key: string }).key, (e as { value?: unknown }).value);
    }
  } else if (typeof h === 'object' && h !== null) {
    for (const [k, v] of Object.entries(h)) for (const one of Array.isArray(v) ? v : [v]) add(k, one);
  } else {
    throw bad(lineNumber, '"headers" must be an object or an array of {"key", "value"}');
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
}

function bad(lineNumber: number, what: string): CliFailure {
  return new CliFailure('INVALID_REQUEST', `stdin line ${lineNumber} ${what}`);
}
