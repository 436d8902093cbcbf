import { describe, expect, it } from 'vitest';
import { CorruptBatchError, type RecordInput, decodeBatches, encodeBatch, rebaseBatches, scanBatches } from '../../../lib/protocol';

const rec = (i: number, ts = 1_000 + i): RecordInput => ({
  key: Buffer.from(`k${i}`),
  value: Buffer.from(`v${i}`),
  headers: [],
  timestamp: ts,
});

async function threeBatches(): Promise<Buffer> {
  return Buffer.concat([
    await encodeBatch({ records: [rec(0), rec(1)], baseOffset: 0 }),
    await encodeBatch({ records: [rec(2), rec(3), rec(4)], baseOffset: 2, compression: 'gzip', producerId: 9n, producerEpoch: 1, baseSequence: 2 }),
    await encodeBatch({ records: [rec(5, 9_999)], baseOffset: 5, compression: 'zstd' }),
  ]);
}

describe('scanBatches', () => {
  it('lists position, size and header fields of each batch without decompressing', async () => {
    const buf = await threeBatches();
    const headers = scanBatches(buf);
    expect(headers.map((h) => [h.baseOffset, h.recordCount, h.lastOffsetDelta, h.compression])).toEqual([
      [0, 2, 1, 'none'],
      [2, 3, 2, 'gzip'],
      [5, 1, 0, 'zstd'],
    ]);
    expect(headers[0].position).toBe(0);
    expect(headers[1].position).toBe(headers[0].byteLength);
    expect(headers[2].position + headers[2].byteLength).toBe(buf.length);
    expect(headers[1]).toMatchObject({ producerId: 9n, producerEpoch: 1, baseSequence: 2, firstTimestamp: 1_002, maxTimestamp: 1_004 });
    expect(headers[2]).toMatchObject({ firstTimestamp: 9_999, maxTimestamp: 9_999 });
  });

  it('returns nothing for an empty buffer', () => {
    expect(scanBatches(Buffer.alloc(0))).toEqual([]);
  });

  it('checks the CRC of every batch', async () => {
    const buf = await threeBatches();
    const [, second] = scanBatches(buf);
    buf[second.position + second.byteLength - 1] ^= 0x10;
    expect(() => scanBatches(buf)).toThrow(CorruptBatchError);
    try {
      scanBatches(buf);
    } catch (err) {
      expect((err as CorruptBatchError).position).toBe(second.position);
    }
  });

  it('reports a truncated last batch', async () => {
    const buf = await threeBatches();
    expect(() => scanBatches(buf.subarray(0, buf.length - 1))).toThrow(/truncated batch/);
    expect(() => scanBatches(Buffer.concat([buf, Buffer.alloc(5)]))).toThrow(/truncated: 5 bytes/);
  });
});

describe('rebaseBatches', () => {
  it('adds delta to every baseOffset, leaving the CRCs valid and the input untouched', async () => {
    const buf = await threeBatches();
    const before = Buffer.from(buf);
    const rebased = rebaseBatches(buf, 1_000_000);
    expect(buf.equals(before)).toBe(true);
    expect(scanBatches(rebased).map((h) => h.baseOffset)).toEqual([1_000_000, 1_000_002, 1_000_005]);
    const records = (await decodeBatches(rebased)).flatMap((b) => b.records);
    expect(records.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5].map((o) => o + 1_000_000));
  });

  it('only changes bytes 0-7 of each batch', async () => {
    const buf = await threeBatches();
    const rebased = rebaseBatches(buf, 77);
    const changed: number[] = [];
    for (let i = 0; i < buf.length; i++) if (buf[i] !== rebased[i]) changed.push(i);
    const starts = scanBatches(buf).map((h) => h.position);
    for (const i of changed) expect(starts.some((s) => i >= s && i < s + 8)).toBe(true);
    expect(changed.length).toBeGreaterThan(0);
  });

  it('is what decodeBatches offsetDelta does', async () => {
    const buf = await threeBatches();
    const viaRebase = await decodeBatches(rebaseBatches(buf, 40));
    const viaDelta = await decodeBatches(buf, { offsetDelta: 40 });
    expect(viaDelta).toEqual(viaRebase);
  });

  it('refuses a delta that would make an offset negative or unsafe, and bad framing', async () => {
    const buf = await threeBatches();
    expect(() => rebaseBatches(buf, -1)).toThrow(RangeError);
    expect(() => rebaseBatches(buf, 0.5)).toThrow(RangeError);
    expect(() => rebaseBatches(buf.subarray(0, 30), 1)).toThrow(CorruptBatchError);
  });
});
