/** Option parsers shared by the commands: commander calls them and reports a thrown InvalidArgumentError as a usage error (exit 2). */
import { InvalidArgumentError } from 'commander';

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

export function positiveInt(value: string): number {
  const n = nonNegativeInt(value);
  if (n === 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

/** Repeatable `--config key=value`; numbers stay numbers (the API takes `retention.ms` as an integer). */
export function configEntry(value: string, previous: Record<string, string | number> = {}): Record<string, string | number> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`"${value}" is not key=value`);
  const key = value.slice(0, eq);
  const raw = value.slice(eq + 1);
  const asNumber = Number(raw);
  return { ...previous, [key]: raw.trim() !== '' && /^-?\d+$/.test(raw.trim()) && Number.isSafeInteger(asNumber) ? asNumber : raw };
}

/** `'\t'` typed in a shell arrives as backslash + t: turn the usual escapes into their characters. */
export function unescapeSeparator(value: string): string {
  const out = value.replace(/\\(t|n|r|0|\\)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r', '0': '\0', '\\': '\\' })[c] ?? c);
  if (out.length === 0) throw new InvalidArgumentError('must not be empty');
  return out;
}
