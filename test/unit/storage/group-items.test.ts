import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GROUP_META_KEY, MEMBER_PREFIX, memberKey, offsetKey } from '../../../lib/storage/group-items';
import { itemBytes, readUnits, writeUnits } from '../../../lib/storage/item-size';

/** DynamoDB orders string sort keys by their UTF-8 bytes. */
const cmp = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('groups table sort keys', () => {
  it('member items sort between "member#" and "meta", offsets after "meta": one Query reads members + meta only', () => {
    const members = [randomUUID(), randomUUID(), 'zzzz', '~~~', 'ÿ-unicode'].map(memberKey);
    const offsets = ['a', 'Z', '0', 'orders.v1', '_x', '-y'].map((t) => offsetKey(t, 0));
    for (const m of members) {
      expect(cmp(m, MEMBER_PREFIX)).toBeGreaterThanOrEqual(0);
      expect(cmp(m, GROUP_META_KEY)).toBeLessThan(0);
    }
    for (const o of offsets) expect(cmp(o, GROUP_META_KEY)).toBeGreaterThan(0);
  });
});

describe('itemBytes', () => {
  it('counts names, strings, numbers and nested maps as DynamoDB bills them', () => {
    expect(itemBytes({ a: 'xyz' })).toBe(4);
    expect(itemBytes({ n: 12345 })).toBe(1 + 4); // 5 significant digits → 3 bytes + 1
    expect(itemBytes({ b: true, z: null })).toBe(4);
    expect(itemBytes({ m: { k: 'v' } })).toBe(1 + 3 + 1 + 1 + 1);
    expect(itemBytes({ l: [1, 2] })).toBe(1 + 3 + 2 * (1 + 2));
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
    expect(readUnits(4097)).toBe(2);
  });
});
