import { createHash, randomBytes } from 'node:crypto';
import snappyjs from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { snappyDecompress, snappyXerialCompress } from '../../../lib/protocol/snappy';

/** snappy-java 1.1.8 `SnappyOutputStream` (what Kafka's producer uses) over "hello hello hello hello kafka". */
const JAVA_SMALL = '82534e41505059000000000100000001000000111d1468656c6c6f20460600106b61666b61';
/** 70,000 bytes of (i * 7) % 13 through the same stream: 3 chunks (1553, 1553, 226 bytes), 3360 bytes. */
const mod13 = () => Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 13));
const JAVA_MOD13_SHA256 = '20fa5602d81657048673403ebeeb33c079fdbe0654da280f76717e00132fe33e';

function chunkLengths(stream: Buffer): number[] {
  const lengths: number[] = [];
  for (let pos = 16; pos < stream.length; pos += 4 + stream.readInt32BE(pos)) lengths.push(stream.readInt32BE(pos));
  return lengths;
}

describe('snappy (xerial framing, as Kafka Java writes it)', () => {
  it('writes the same bytes as snappy-java for a small input', () => {
    expect(snappyXerialCompress(Buffer.from('hello hello hello hello kafka')).toString('hex')).toBe(JAVA_SMALL);
  });

  it('writes the same bytes as snappy-java for a three-chunk input (32 KiB blocks)', () => {
    const ours = snappyXerialCompress(mod13());
    expect(chunkLengths(ours)).toEqual([1553, 1553, 226]);
    expect(createHash('sha256').update(ours).digest('hex')).toBe(JAVA_MOD13_SHA256);
  });

  it('reads what snappy-java wrote', () => {
    expect(snappyDecompress(Buffer.from(JAVA_SMALL, 'hex')).toString()).toBe('hello hello hello hello kafka');
  });

  it('writes only the 16-byte header for empty input, as Java does, and reads it back empty', () => {
    const empty = snappyXerialCompress(Buffer.alloc(0));
    expect(empty.toString('hex')).toBe('82534e4150505900' + '00000001' + '00000001');
    expect(snappyDecompress(empty)).toHaveLength(0);
  });

  it('round-trips random and large inputs, one chunk per 32 KiB', () => {
    for (const n of [1, 32_767, 32_768, 32_769, 300_000]) {
      const data = randomBytes(n);
      const stream = snappyXerialCompress(data);
      expect(chunkLengths(stream)).toHaveLength(Math.ceil(n / 32_768));
      expect(snappyDecompress(stream).equals(data)).toBe(true);
    }
  });

  it('reads raw (unframed) snappy, as librdkafka sends it', () => {
    const data = Buffer.from('raw snappy block '.repeat(100));
    const raw = Buffer.from(snappyjs.compress(data));
    expect(raw.subarray(0, 8).equals(Buffer.from(JAVA_SMALL, 'hex').subarray(0, 8))).toBe(false);
    expect(snappyDecompress(raw).equals(data)).toBe(true);
  });

  it('reads concatenated xerial streams, as SnappyInputStream does', () => {
    const a = Buffer.from('first stream ');
    const b = Buffer.from('second stream');
    const joined = Buffer.concat([snappyXerialCompress(a), snappyXerialCompress(b)]);
    expect(snappyDecompress(joined).toString()).toBe('first stream second stream');
  });

  it('throws on a truncated chunk and on a bad raw block', () => {
    const stream = Buffer.from(JAVA_SMALL, 'hex');
    expect(() => snappyDecompress(stream.subarray(0, stream.length - 3))).toThrow(/overruns/);
    expect(() => snappyDecompress(stream.subarray(0, 18))).toThrow(/truncated/);
    expect(() => snappyDecompress(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toThrow();
  });
});
