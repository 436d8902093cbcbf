/**
 * How deeply a JSON text nests, measured without parsing or recursion: one pass over the bytes
 * counting `[`/`{` against `]`/`}`, jumping over strings with Buffer.indexOf (native, so a body
 * that is mostly record values costs ~1 ms per 6 MiB; a byte-by-byte loop costs ~35 ms). JSON.parse
 * itself is iterative in V8, but much that looks at a parsed value afterwards is not
 * (JSON.stringify in error messages, validation, the DynamoDB marshaller): a deeply nested value
 * could overflow the stack there (a 503 where a 400 belongs), so such bodies are refused first.
 *
 * Works on UTF-8 bytes: quote, backslash and brackets are ASCII, never part of a multi-byte
 * sequence.
 */

/** Deeper bodies are refused with 400 INVALID_REQUEST. No valid request nests beyond 5 levels. */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** True when the JSON text nests arrays/objects more than `limit` levels deep (stops scanning there). */
export function exceedsJsonDepth(json: Buffer | string, limit: number = MAX_JSON_DEPTH): boolean {
  const bytes = typeof json === 'string' ? Buffer.from(json, 'utf8') : json;
  let depth = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      i = closingQuote(bytes, i);
      if (i < 0) return false; // unterminated string: JSON.parse will say so
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

/** Index of the quote that closes the string opened at `open` (one preceded by an even run of backslashes), or -1. */
function closingQuote(bytes: Buffer, open: number): number {
  let at = open;
  for (;;) {
    at = bytes.indexOf(QUOTE, at + 1);
    if (at < 0) return -1;
    let backslashes = 0;
    for (let j = at - 1; bytes[j] === BACKSLASH; j--) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}
