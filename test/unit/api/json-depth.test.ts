import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, exceedsJsonDepth } from '../../../lib/api/json-depth';

describe('exceedsJsonDepth', () => {
  it('accepts nesting up to the limit and refuses one more level', () => {
    const nest = (n: number): string => '['.repeat(n) + ']'.repeat(n);
    expect(exceedsJsonDepth(nest(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsJsonDepth(nest(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(exceedsJsonDepth('{"a":'.repeat(65) + '1' + '}'.repeat(65))).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(exceedsJsonDepth(JSON.stringify({ v: '['.repeat(1_000) }))).toBe(false);
    expect(exceedsJsonDepth(JSON.stringify({ v: '\\"[[[[' + '['.repeat(1_000) }))).toBe(false);
  });

  it('ends a string only at a quote preceded by an even number of backslashes', () => {
    expect(exceedsJsonDepth(Buffer.from('["\\\\", [[[]]]]'), 3)).toBe(true); // "\\" closes; the brackets after it count
    expect(exceedsJsonDepth(Buffer.from('["\\" [[[[ ]]]]"]'), 3)).toBe(false); // \" does not close
    expect(exceedsJsonDepth(Buffer.from('["unterminated [[[['), 1)).toBe(false);
  });

  it('reads UTF-8 bytes: multi-byte characters never look like brackets or quotes', () => {
    expect(exceedsJsonDepth(Buffer.from(JSON.stringify({ v: 'ø🔥ʺ＂［'.repeat(100) })), 1)).toBe(false);
  });

  it('scans millions of levels without recursion', () => {
    expect(exceedsJsonDepth('['.repeat(3_000_000))).toBe(true);
    expect(exceedsJsonDepth(' '.repeat(3_000_000))).toBe(false);
  });
});
