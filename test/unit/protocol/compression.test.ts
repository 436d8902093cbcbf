import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { COMPRESSION_TYPES } from '../../../lib/protocol';
import { type CompressionType, compress, compressionId, compressionOfId, decompress } from '../../../lib/protocol/compression';

const MAGIC: Record<Exclude<CompressionType, 'none'>, string> = {
  gzip: '1f8b',
  snappy: '82534e4150505900',
  lz4: '04224d18',
  zstd: '28b52ffd',
};

describe('compression codecs', () => {
  it('lists the types in attributes-id order (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd)', () => {
    expect(COMPRESSION_TYPES).toEqual(['none', 'gzip', 'snappy', 'lz4', 'zstd']);
    expect(COMPRESSION_TYPES.map(compressionId)).toEqual([0, 1, 2, 3, 4]);
    expect([0, 1, 2, 3, 4, 5, 7].map(compressionOfId)).toEqual([...COMPRESSION_TYPES, undefined, undefined]);
    expect(() => compressionId('brotli' as CompressionType)).toThrow(RangeError);
  });

  it('none passes bytes through', async () => {
    const data = Buffer.from('as is');
    expect(await compress('none', data)).toBe(data);
    expect(await decompress('none', data)).toBe(data);
  });

  it('gzip writes a standard gzip member', async () => {
    const data = Buffer.from('gzip me '.repeat(100));
    const gz = await compress('gzip', data);
    expect(zlib.gunzipSync(gz).equals(data)).toBe(true);
    expect((await decompress('gzip', zlib.gzipSync(data, { level: 9 }))).equals(data)).toBe(true);
  });

  for (const type of COMPRESSION_TYPES.filter((t): t is Exclude<CompressionType, 'none'> => t !== 'none')) {
    it(`${type}: writes its format's magic and round-trips empty, tiny, random and 1 MiB inputs`, async () => {
      const compressible = Buffer.from(Array.from({ length: 1 << 20 }, (_, i) => (i >> 4) % 61));
      for (const data of [Buffer.alloc(0), Buffer.from('a'), randomBytes(70_000), compressible]) {
        const packed = await compress(type, data);
        expect(packed.subarray(0, MAGIC[type].length / 2).toString('hex')).toBe(MAGIC[type]);
        expect((await decompress(type, packed)).equals(data)).toBe(true);
      }
      expect((await compress(type, compressible)).length).toBeLessThan(compressible.length / 10);
    });

    it(`${type}: rejects corrupted input`, async () => {
      const original = Buffer.from('some text that compresses somewhat '.repeat(20));
      const packed = await compress(type, original);
      const bad = Buffer.from(packed);
      bad.fill(0xa5, Math.floor(bad.length / 2) - 4, Math.floor(bad.length / 2) + 4);
      const truncated = packed.subarray(0, packed.length - 3);
      const outcomes: string[] = [];
      for (const input of [bad, truncated]) {
        outcomes.push(
          await decompress(type, input).then(
            (out) => (out.equals(original) ? 'original' : 'different'),
            () => 'threw',
          ),
        );
      }
      // A codec without a checksum may "succeed" on damaged input, but never gives the original back.
      expect(outcomes).not.toContain('original');
      expect(outcomes).toContain('threw');
    });
  }
});
