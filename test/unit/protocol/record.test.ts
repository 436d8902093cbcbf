import { describe, expect, it } from 'vitest';
import { CorruptBatchError, type RecordInput } from '../../../lib/protocol';
import { readRecord, recordSize, writeRecord, recordBodySize } from '../../../lib/protocol/record';

function encode(r: RecordInput, timestampDelta: number, offsetDelta: number): Buffer {
  const buf = Buffer.alloc(recordSize(r, timestampDelta, offsetDelta));
  const end = writeRecord(buf, 0, r, timestampDelta, offsetDelta, recordBodySize(r, timestampDelta, offsetDelta));
  expect(end).toBe(buf.length);
  return buf;
}

const read = (buf: Buffer) => readRecord({ buf, pos: 0, end: buf.length }, 100, 5_000);

describe('record', () => {
  it('sizes exactly what it writes, for varint lengths of 1, 2 and 3 bytes', () => {
    for (const n of [0, 50, 63, 64, 200, 8_191, 8_192, 70_000]) {
      const r: RecordInput = { key: Buffer.alloc(n % 7), value: Buffer.alloc(n, 1), headers: [{ key: 'é'.repeat(n % 70), value: null }], timestamp: 0 };
      const buf = encode(r, -n, n);
      const decoded = read(buf);
      expect(decoded.offset).toBe(100 + n);
      expect(decoded.timestamp).toBe(5_000 - n);
      expect(decoded.value).toEqual(r.value);
      expect(decoded.headers).toEqual(r.headers);
    }
  });

  it('writes a minimal record as 7 bytes', () => {
    const buf = encode({ key: null, value: null, headers: [], timestamp: 0 }, 0, 0);
    expect(buf.toString('hex')).toBe('0c' + '00' + '00' + '00' + '01' + '01' + '00');
  });

  it('rejects a record whose fields do not fill its declared length, or overrun it', () => {
    const buf = encode({ key: Buffer.from('k'), value: Buffer.from('v'), headers: [], timestamp: 0 }, 0, 0);
    const longer = Buffer.concat([Buffer.from([buf[0] + 2]), buf.subarray(1), Buffer.from([0])]);
    expect(() => read(longer)).toThrow(/declares/);
    const shorter = Buffer.from(buf);
    shorter[0] -= 2;
    expect(() => read(shorter)).toThrow(CorruptBatchError);
  });

  it('rejects negative lengths other than -1 and impossible header counts', () => {
    // length 6: attributes, ts 0, offset 0, key length -2 (zigzag 3), ...
    expect(() => read(Buffer.from('0c0000000301' + '00', 'hex'))).toThrow(/bad key length -2/);
    // header count 100 in a 7-byte record
    expect(() => read(Buffer.from('0e0000000101c801', 'hex'))).toThrow(/bad header count 100/);
    // header key length -1
    expect(() => read(Buffer.from('100000000101020101', 'hex'))).toThrow(/bad header key length -1/);
  });
});
