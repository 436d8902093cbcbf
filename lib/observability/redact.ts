/**
 * What keeps secrets and payloads out of logs. Every Logger implementation passes its fields
 * through `redact()`; callers should not log such things in the first place, this is the net
 * under them.
 *
 * - Fields whose NAME says credential (authorization, cookie, password, secret, token,
 *   credential, signature, api key) are replaced by "[redacted]", at any depth.
 * - Fields whose name says payload (value, key, headers, records, body, payload) are replaced too:
 *   record keys and values are user data and never belong in an operator's log.
 * - Strings are scrubbed of credential shapes (`Basic …`, `Bearer …`, SigV4 `Credential=…`
 *   and signatures, AWS access key ids) and cut at 2,000 characters.
 */
import type { LogFields } from './telemetry';

export const REDACTED = '[redacted]';

const CREDENTIAL_KEY = /authorization|cookie|passw(or)?d|secret|token|credential|signature|api[-_]?key|private[-_]?key/i;
const PAYLOAD_KEY = /^(value|values|key|keys|headers|records|body|payload|rawbody)$/i;

const SCRUBBERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(Basic|Bearer|Digest)\s+[A-Za-z0-9+/=._~-]{4,}/gi, `$1 ${REDACTED}`],
  [/\bAWS4-HMAC-SHA256\b[^"\n]*/g, `AWS4-HMAC-SHA256 ${REDACTED}`],
  [/\b(Credential|Signature|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token)=[^&\s",]+/gi, `$1=${REDACTED}`],
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, REDACTED],
];

const MAX_STRING = 2_000;
const MAX_DEPTH = 4;
const MAX_ITEMS = 20;

/** Credential shapes removed from free text (error messages, stacks). */
export function scrub(text: string): string {
  let out = text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…[${text.length - MAX_STRING} more chars]` : text;
  for (const [pattern, replacement] of SCRUBBERS) out = out.replace(pattern, replacement);
  return out;
}

/** A copy of `fields` safe to log (see the module comment). */
export function redact(fields: LogFields | undefined): Record<string, unknown> {
  if (!fields) return {};
  return redactObject(fields, 0);
}

function redactObject(obj: Readonly<Record<string, unknown>>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    out[k] = CREDENTIAL_KEY.test(k) || PAYLOAD_KEY.test(k) ? REDACTED : redactValue(v, depth + 1);
  }
  return out;
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrub(value);
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? String(value) : value;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[${value.length} bytes]`;
  if (depth > MAX_DEPTH) return '[truncated]';
  if (value instanceof Error) {
    const e: Record<string, unknown> = { name: value.name, message: scrub(value.message) };
    if (value.stack) e.stack = scrub(value.stack);
    if ('code' in value && typeof value.code === 'string') e.code = value.code;
    return e;
  }
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => redactValue(v, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`…[${value.length - MAX_ITEMS} more]`);
    return items;
  }
  return redactObject(value as Record<string, unknown>, depth);
}
