import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import lz4js from 'lz4js';
import { describe, expect, it } from 'vitest';
import { lz4FrameCompress, lz4FrameDecompress } from '../../../lib/protocol/lz4-frame';

/** Kafka's Java `Lz4BlockOutputStream` (lz4-java 1.8) over "hello hello hello hello kafka". */
const JAVA_SMALL = '04224d186040820f0000006e68656c6c6f200600506b61666b6100000000';
/** The same over 70,000 bytes of (i * 7) % 13: two blocks (64 KiB + 4,464 bytes). */
const JAVA_MOD13 =
  '04224d1860408217010000df000701080209030a040b050c060d00' +
  'ff'.repeat(256) +
  'db500c0600070128000000df080209030a040b050c060007010d00' +
  'ff'.repeat(17) +
  '5c50080209030a00000000';
const mod13 = () => Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 13));

/** Inputs of the kind that made lz4js's block compressor break the end-of-block rules. */
function periodic(t: number): Buffer {
  const n = 65536 * (1 + (t % 3)) + (t % 2 ? 0 : (t * 97) % 5000);
  const out = Buffer.alloc(n);
  let x = t + 1;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = t % 4 === 0 ? i % 7 : (x >>> 24) % (2 + (t % 5));
  }
  return out;
}

interface Block {
  data: Buffer;
  compressed: boolean;
}

/** Splits a frame without checksums or content size (as Java and this writer make them). */
function blocksOf(frame: Buffer): Block[] {
  const blocks: Block[] = [];
  for (let pos = 7; ; ) {
    const word = frame.readUInt32LE(pos);
    if (word === 0) return blocks;
    const size = word & 0x7fffffff;
    blocks.push({ data: frame.subarray(pos + 4, pos + 4 + size), compressed: word < 0x80000000 });
    pos += 4 + size;
  }
}

/**
 * Checks the LZ4 block format's end-of-block rules, which strict decoders (the reference C
 * library, lz4-java behind Kafka) enforce: the last match starts at least 12 bytes before the end
 * of the block, and the last 5 bytes are literals. Returns the decoded length.
 */
function checkEndOfBlockRules(block: Buffer): number {
  let ip = 0;
  let op = 0;
  let lastMatch: { start: number; end: number } | undefined;
  while (ip < block.length) {
    const token = block[ip++];
    let literals = token >> 4;
    if (literals === 15) for (let b = 255; b === 255; literals += b) b = block[ip++];
    ip += literals;
    op += literals;
    if (ip >= block.length) break;
    ip += 2;
    let matchLength = token & 15;
    if (matchLength === 15) for (let b = 255; b === 255; matchLength += b) b = block[ip++];
    lastMatch = { start: op, end: op + matchLength + 4 };
    op = lastMatch.end;
  }
  if (lastMatch) {
    expect(op - lastMatch.start, 'last match starts >= 12 bytes before the end').toBeGreaterThanOrEqual(12);
    expect(op - lastMatch.end, 'last 5 bytes are literals').toBeGreaterThanOrEqual(5);
  }
  return op;
}

function hasCli(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('LZ4 frame (as Kafka Java writes and reads it)', () => {
  it('reads frames written by Kafka Java', async () => {
    expect((await lz4FrameDecompress(Buffer.from(JAVA_SMALL, 'hex'))).toString()).toBe('hello hello hello hello kafka');
    expect((await lz4FrameDecompress(Buffer.from(JAVA_MOD13, 'hex'))).equals(mod13())).toBe(true);
  });

  it("writes Java's frame descriptor: independent 64 KiB blocks, no checksums", async () => {
    const ours = await lz4FrameCompress(Buffer.from('hello hello hello hello kafka'));
    expect(ours.subarray(0, 7).toString('hex')).toBe(JAVA_SMALL.slice(0, 14));
    expect(ours.subarray(ours.length - 4).readUInt32LE(0)).toBe(0);
  });

  it('writes an empty input as header + end mark, as Java does', async () => {
    const empty = await lz4FrameCompress(Buffer.alloc(0));
    expect(empty.toString('hex')).toBe('04224d18604082' + '00000000');
    expect(await lz4FrameDecompress(empty)).toHaveLength(0);
  });

  it('splits into 64 KiB blocks and stores incompressible ones raw', async () => {
    const data = randomBytes(200_000);
    const frame = await lz4FrameCompress(data);
    const blocks = blocksOf(frame);
    expect(blocks.map((b) => [b.data.length, b.compressed])).toEqual([
      [65536, false],
      [65536, false],
      [65536, false],
      [3392, false],
    ]);
    expect((await lz4FrameDecompress(frame)).equals(data)).toBe(true);
  });

  it('writes blocks that keep the end-of-block rules (which lz4js blocks break)', async () => {
    for (let t = 0; t < 24; t++) {
      const data = periodic(t);
      const blocks = blocksOf(await lz4FrameCompress(data));
      let total = 0;
      for (const b of blocks) total += b.compressed ? checkEndOfBlockRules(b.data) : b.data.length;
      expect(total).toBe(data.length);
    }
  });

  it('the end-of-block check can fail: it catches lz4js output for one of those inputs', () => {
    const data = periodic(11);
    const dst = Buffer.alloc(lz4js.compressBound(65536));
    const n = lz4js.compressBlock(data, dst, 0, 65536, new Uint32Array(65536));
    expect(() => checkEndOfBlockRules(dst.subarray(0, n))).toThrow(/12 bytes/);
  });

  it('round-trips compressible inputs of awkward sizes', async () => {
    for (const n of [1, 13, 65535, 65536, 65537, 1_000_000]) {
      const data = Buffer.from(Array.from({ length: n }, (_, i) => (i % 1000 < 500 ? i % 17 : (i * 31) % 251)));
      expect((await lz4FrameDecompress(await lz4FrameCompress(data))).equals(data)).toBe(true);
    }
  });

  it('verifies the descriptor checksum, block checksums and content checksum', async () => {
    const bad = Buffer.from(JAVA_SMALL, 'hex');
    bad[6] ^= 1;
    await expect(lz4FrameDecompress(bad)).rejects.toThrow(/descriptor checksum/);
    await expect(lz4FrameDecompress(Buffer.from(JAVA_SMALL, 'hex').subarray(0, 20))).rejects.toThrow(/truncated/);
    await expect(lz4FrameDecompress(Buffer.from('00000000000000', 'hex'))).rejects.toThrow(/bad magic/);
    const withDictId = Buffer.from(JAVA_SMALL, 'hex');
    withDictId[4] = 0x61;
    await expect(lz4FrameDecompress(withDictId)).rejects.toThrow(/dictionary/);
  });

  describe.skipIf(!hasCli('lz4'))('against the reference lz4 command-line tool', () => {
    const cli = (args: string[], input: Buffer) => execFileSync('lz4', args, { input, maxBuffer: 1 << 26, stdio: ['pipe', 'pipe', 'ignore'] });

    it('the reference decoder reads what this writer writes', async () => {
      for (let t = 0; t < 24; t++) {
        const data = periodic(t);
        expect(cli(['-dc'], await lz4FrameCompress(data)).equals(data), `input ${t}`).toBe(true);
      }
    });

    it('reads reference frames: 4 MiB blocks with content checksum, dependent blocks, block checksums, content size', async () => {
      const data = Buffer.concat([periodic(5), randomBytes(70_000), periodic(8)]);
      for (const flags of [['-c'], ['-c', '-BD', '-B4'], ['-c', '-BX', '-B5'], ['-c', '--content-size'], ['-c', '--no-frame-crc']]) {
        const frame = cli([...flags, '-'], data);
        expect((await lz4FrameDecompress(frame)).equals(data), flags.join(' ')).toBe(true);
      }
    });

    it('detects a corrupted content or block checksum in a reference frame', async () => {
      const content = Buffer.from('checksummed content '.repeat(50));
      const frame = Buffer.from(cli(['-c', '-'], content));
      frame[frame.length - 1] ^= 0xff;
      await expect(lz4FrameDecompress(frame)).rejects.toThrow(/content checksum/);
      const blockSummed = Buffer.from(cli(['-c', '-BX', '--no-frame-crc', '-'], content));
      blockSummed[blockSummed.length - 5] ^= 0xff;
      await expect(lz4FrameDecompress(blockSummed)).rejects.toThrow(/block checksum/);
    });
  });
});
