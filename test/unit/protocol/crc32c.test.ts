import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32c } from '../../../lib/protocol';
import { kafkaCrc32c } from './kafkajs';

describe('crc32c', () => {
  it('gives the CRC-32C check value for "123456789"', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('matches the RFC 3720 (iSCSI) B.4 vectors', () => {
    expect(crc32c(Buffer.alloc(32, 0x00))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c);
  });

  it('is CRC-32C, not the zlib CRC-32', () => {
    expect(crc32c(Buffer.from('123456789'))).not.toBe(zlib.crc32?.(Buffer.from('123456789')) ?? 0xcbf43926);
  });

  it('is unsigned, and reads a subarray (not its parent buffer)', () => {
    const parent = Buffer.from('xx123456789yy');
    expect(crc32c(parent.subarray(2, 11))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });

  it('agrees with kafkajs on random inputs of many lengths', () => {
    for (let len = 0; len < 300; len += 7) {
      const data = randomBytes(len);
      expect(crc32c(data)).toBe(kafkaCrc32c(data));
    }
    const big = randomBytes(1 << 20);
    expect(crc32c(big)).toBe(kafkaCrc32c(big));
  });
});
