import { describe, expect, it } from 'vitest';
import { base64Length, estimatePartitionBytes, formatBytes, payloadBytes } from '../../../lib/console/format';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('console formatting', () => {
  it('measures decoded base64 without decoding', () => {
    for (const s of ['', 'a', 'ab', 'abc', 'abcd', 'héllo wörld']) expect(base64Length(b64(s))).toBe(Buffer.byteLength(s));
    expect(base64Length(null)).toBe(0);
  });

  it('counts key + value + header bytes, the API maxBytes measure', () => {
    expect(payloadBytes({ offset: 0, timestamp: 0, key: b64('k1'), value: b64('héllo'), headers: [{ key: 'trace', value: b64('t-1') }] })).toBe(2 + 6 + 5 + 3);
    expect(payloadBytes({ offset: 0, timestamp: 0, key: null, value: null })).toBe(0);
  });

  it('estimates a partition from its sample, exactly when the sample is everything', () => {
    const sample = [b64('aaaa'), b64('bb')].map((value, i) => ({ offset: i, timestamp: 0, key: null, value }));
    expect(estimatePartitionBytes(sample, 0, 2)).toBe(6);
    expect(estimatePartitionBytes(sample, 100, 200)).toBe(300);
    expect(estimatePartitionBytes([], 5, 5)).toBe(0);
    expect(estimatePartitionBytes([], 0, 5)).toBeUndefined();
  });

  it('formats sizes', () => {
    expect([0, 21, 1024, 1536, 15 * 1024 * 1024].map(formatBytes)).toEqual(['0 B', '21 B', '1.0 KiB', '1.5 KiB', '15 MiB']);
    expect(formatBytes(undefined)).toBe('—');
  });
});
