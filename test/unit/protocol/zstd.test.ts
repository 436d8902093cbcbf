import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ZSTD_BUILTIN_AVAILABLE, type ZstdBackend, zstdCompress, zstdDecompress } from '../../../lib/protocol/zstd';

/**
 * zstd-jni 1.5.2 `ZstdOutputStreamNoFinalizer`, level 3 (what Kafka's producer uses): streaming
 * frames that do not declare their content size.
 */
const JAVA_SMALL = '28b52ffd00588c00005868656c6c6f206b61666b610100f14a11010000'; // "hello hello hello hello kafka"
const JAVA_MOD13 = '28b52ffd0058ac000068000701080209030a040b050c060100601190cf2f010000'; // 70,000 × (i * 7) % 13
const mod13 = () => Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 13));

function hasCli(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const backends: ZstdBackend[] = ZSTD_BUILTIN_AVAILABLE ? ['builtin', 'fallback'] : ['fallback'];

describe.each(backends)('zstd, %s backend', (backend) => {
  it('reads streaming frames written by Kafka Java (no content size in the header)', async () => {
    expect(Buffer.from(JAVA_SMALL, 'hex')[4] & 0xe0).toBe(0); // descriptor: no content size, not single-segment
    expect((await zstdDecompress(Buffer.from(JAVA_SMALL, 'hex'), backend)).toString()).toBe('hello hello hello hello kafka');
    expect((await zstdDecompress(Buffer.from(JAVA_MOD13, 'hex'), backend)).equals(mod13())).toBe(true);
  });

  it('round-trips empty, small, random and large compressible inputs', async () => {
    const inputs = [Buffer.alloc(0), Buffer.from('x'), randomBytes(100_000), Buffer.alloc(3_000_000, 'abc')];
    for (const data of inputs) {
      const frame = await zstdCompress(data, backend);
      expect(frame.readUInt32LE(0)).toBe(0xfd2fb528); // zstd frame magic
      expect((await zstdDecompress(frame, backend)).equals(data)).toBe(true);
    }
  });

  it('reads two concatenated frames as one stream', async () => {
    const both = Buffer.concat([Buffer.from(JAVA_SMALL, 'hex'), await zstdCompress(Buffer.from(' and more'), backend)]);
    expect((await zstdDecompress(both, backend)).toString()).toBe('hello hello hello hello kafka and more');
  });

  it('throws on garbage', async () => {
    await expect(zstdDecompress(Buffer.from('not zstd at all'), backend)).rejects.toThrow();
  });
});

describe('zstd backends agree', () => {
  it.skipIf(!ZSTD_BUILTIN_AVAILABLE)('the built-in reads the fallback and the other way round', async () => {
    const data = Buffer.from(Array.from({ length: 500_000 }, (_, i) => (i * i) % 97));
    expect((await zstdDecompress(await zstdCompress(data, 'fallback'), 'builtin')).equals(data)).toBe(true);
    expect((await zstdDecompress(await zstdCompress(data, 'builtin'), 'fallback')).equals(data)).toBe(true);
  });

  it.skipIf(!hasCli('zstd'))('the reference zstd tool reads what we write, and we read its streamed output', async () => {
    const data = Buffer.concat([mod13(), randomBytes(50_000), mod13()]);
    const ours = await zstdCompress(data);
    expect(execFileSync('zstd', ['-dc'], { input: ours, maxBuffer: 1 << 26 }).equals(data)).toBe(true);
    const streamed = execFileSync('sh', ['-c', 'cat | zstd -c -q'], { input: data, maxBuffer: 1 << 26 });
    expect((await zstdDecompress(streamed)).equals(data)).toBe(true);
  });
});
