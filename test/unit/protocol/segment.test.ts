import { describe, expect, it } from 'vitest';
import { type RecordInput, decodeBatches, encodeSegment, rebaseBatches, scanBatches } from '../../../lib/protocol';
import { incrementSequence } from '../../../lib/protocol/segment';

const rec = (i: number, size = 100): RecordInput => ({
  key: Buffer.from(`key-${i}`),
  value: Buffer.alloc(size, i % 251),
  headers: [{ key: 'i', value: Buffer.from(String(i)) }],
  timestamp: 1_700_000_000_000 + i,
});

describe('encodeSegment', () => {
  it('writes one batch at base offset 0 for a small input', async () => {
    const records = [rec(0), rec(1), rec(2)];
    const { bytes, batches } = await encodeSegment(records);
    expect(batches).toEqual([{ relativeOffset: 0, position: 0, byteLength: bytes.length, recordCount: 3, maxTimestamp: 1_700_000_000_002 }]);
    expect(scanBatches(bytes)[0].baseOffset).toBe(0);
  });

  it('splits into batches within maxBatchBytes with relative base offsets', async () => {
    const records = Array.from({ length: 100 }, (_, i) => rec(i, 200));
    const { bytes, batches } = await encodeSegment(records, { maxBatchBytes: 2_000 });
    expect(batches.length).toBeGreaterThan(5);
    const headers = scanBatches(bytes);
    expect(headers.map((h) => h.baseOffset)).toEqual(batches.map((b) => b.relativeOffset));
    expect(headers.map((h) => h.position)).toEqual(batches.map((b) => b.position));
    expect(headers.map((h) => h.byteLength)).toEqual(batches.map((b) => b.byteLength));
    let expected = 0;
    for (const b of batches) {
      expect(b.relativeOffset).toBe(expected);
      expect(b.byteLength).toBeLessThanOrEqual(2_000);
      expected += b.recordCount;
    }
    expect(expected).toBe(100);
    // Greedy: adding the next record to any batch would have crossed the limit.
    for (let i = 0; i + 1 < batches.length; i++) expect(batches[i].byteLength + 230).toBeGreaterThan(2_000);
    const decoded = (await decodeBatches(bytes)).flatMap((b) => b.records);
    expect(decoded.map((r) => r.offset)).toEqual(records.map((_, i) => i));
    expect(decoded.map((r) => r.value)).toEqual(records.map((r) => r.value));
  });

  it('gives a record larger than maxBatchBytes a batch of its own', async () => {
    const records = [rec(0, 10), rec(1, 5_000), rec(2, 10), rec(3, 10)];
    const { batches } = await encodeSegment(records, { maxBatchBytes: 1_000 });
    expect(batches.map((b) => [b.relativeOffset, b.recordCount])).toEqual([
      [0, 1],
      [1, 1],
      [2, 2],
    ]);
  });

  it('bounds the uncompressed size when compressing (batches of compressible data are smaller)', async () => {
    const records = Array.from({ length: 100 }, (_, i) => rec(i, 200));
    const plain = await encodeSegment(records, { maxBatchBytes: 2_000 });
    const zipped = await encodeSegment(records, { maxBatchBytes: 2_000, compression: 'gzip' });
    expect(zipped.batches.map((b) => b.recordCount)).toEqual(plain.batches.map((b) => b.recordCount));
    expect(zipped.bytes.length).toBeLessThan(plain.bytes.length / 3);
    expect(scanBatches(zipped.bytes).every((h) => h.compression === 'gzip')).toBe(true);
  });

  it('numbers producer sequences per batch: baseSequence + relativeOffset, else -1', async () => {
    const records = Array.from({ length: 30 }, (_, i) => rec(i, 200));
    const idem = await encodeSegment(records, { maxBatchBytes: 1_000, producerId: 12n, producerEpoch: 3, baseSequence: 100 });
    const headers = scanBatches(idem.bytes);
    expect(headers.map((h) => h.baseSequence)).toEqual(idem.batches.map((b) => 100 + b.relativeOffset));
    expect(headers.every((h) => h.producerId === 12n && h.producerEpoch === 3)).toBe(true);
    const plain = await encodeSegment(records, { maxBatchBytes: 1_000 });
    expect(scanBatches(plain.bytes).map((h) => [h.baseSequence, h.producerId, h.producerEpoch])).toEqual(
      plain.batches.map(() => [-1, -1n, -1]),
    );
  });

  it('wraps sequences past 2^31-1 to 0, as Kafka does', async () => {
    expect(incrementSequence(5, 3)).toBe(8);
    expect(incrementSequence(2 ** 31 - 1, 1)).toBe(0);
    expect(incrementSequence(2 ** 31 - 2, 5)).toBe(3);
    const records = Array.from({ length: 4 }, (_, i) => rec(i, 200));
    const { bytes } = await encodeSegment(records, { maxBatchBytes: 300, baseSequence: 2 ** 31 - 2 });
    expect(scanBatches(bytes).map((h) => h.baseSequence)).toEqual([2 ** 31 - 2, 2 ** 31 - 1, 0, 1]);
  });

  it('reads back at any absolute base after rebaseBatches', async () => {
    const records = Array.from({ length: 50 }, (_, i) => rec(i, 300));
    const { bytes } = await encodeSegment(records, { maxBatchBytes: 4_000, compression: 'lz4' });
    const decoded = (await decodeBatches(rebaseBatches(bytes, 123_456_789))).flatMap((b) => b.records);
    expect(decoded.map((r) => r.offset)).toEqual(records.map((_, i) => 123_456_789 + i));
    expect(decoded.map((r) => r.timestamp)).toEqual(records.map((r) => r.timestamp));
  });

  it('refuses an empty input and bad options', async () => {
    await expect(encodeSegment([])).rejects.toThrow(RangeError);
    await expect(encodeSegment([rec(0)], { maxBatchBytes: 0 })).rejects.toThrow(RangeError);
    await expect(encodeSegment([rec(0)], { baseSequence: -5 })).rejects.toThrow(RangeError);
  });
});
