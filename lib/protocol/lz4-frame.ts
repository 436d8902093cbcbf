/**
 * LZ4 as Kafka uses it: the LZ4 frame format (lz4_Frame_format.md, v1.6), written the way Kafka's
 * Java `Lz4BlockOutputStream` writes it.
 *
 *   frame      => magic (0x184D2204, little-endian) descriptor block* endMark [contentChecksum]
 *   descriptor => FLG int8 BD int8 [contentSize uint64] [dictId uint32] HC int8
 *                 FLG: version 01 (bits 7-6), blockIndependence (5), blockChecksum (4),
 *                      contentSize (3), contentChecksum (2), reserved (1), dictId (0)
 *                 BD:  block max size in bits 6-4: 4 = 64 KiB, 5 = 256 KiB, 6 = 1 MiB, 7 = 4 MiB
 *                 HC:  (xxh32(FLG..last descriptor byte, seed 0) >> 8) & 0xFF
 *   block      => size uint32 LE (high bit set: stored uncompressed) data [blockChecksum uint32]
 *   endMark    => uint32 0
 *
 * Written as Java does: FLG 0x60 (independent blocks, no checksums, no content size), BD 0x40
 * (64 KiB blocks), a block stored raw when compression does not make it smaller. Java's reader
 * rejects dependent-block frames, so this writer never makes them.
 *
 * Read: every flag combination but dictionary ids, verifying HC, block and content checksums.
 *
 * Block codecs: compression is lz4_flex compiled to WASM (`lz4-wasm-nodejs`, loaded on first use);
 * decompression is `lz4js` (pure JS), which decodes into one contiguous buffer and so also reads
 * dependent blocks. lz4js's own compressor is not used: its blocks can put a match in the last 12
 * bytes of a full block, which the LZ4 spec forbids and the reference decoder rejects.
 */
import type * as Lz4js from 'lz4js';
import xxh32 from 'lz4js/xxh32.js';

const MAGIC = 0x184d2204;
const FLG_VERSION_MASK = 0xc0;
const FLG_VERSION_01 = 0x40;
const FLG_BLOCK_INDEPENDENCE = 0x20;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_RESERVED = 0x02;
const FLG_DICT_ID = 0x01;
const BD_64KB = 4 << 4;
const INCOMPRESSIBLE = 0x80000000;
const WRITE_BLOCK_SIZE = 64 * 1024;

/** lz4-wasm-nodejs: `compress` returns a raw LZ4 block prefixed with its input size (u32 LE). */
interface Lz4Wasm {
  compress(input: Uint8Array): Uint8Array;
}

let wasm: Promise<Lz4Wasm> | undefined;
/** Loaded on first use: lz4js allocates a 5 MiB scratch buffer when its module loads. */
let js: Promise<typeof Lz4js> | undefined;

function lz4js(): Promise<typeof Lz4js> {
  js ??= import('lz4js').then((mod) => {
    const m = mod as typeof Lz4js & { default?: typeof Lz4js };
    return m.default ?? m;
  });
  return js;
}

function lz4Wasm(): Promise<Lz4Wasm> {
  wasm ??= import('lz4-wasm-nodejs').then((mod) => {
    const m = mod as unknown as Lz4Wasm & { default?: Lz4Wasm };
    return m.default ?? m;
  });
  return wasm;
}

function u32le(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0, 0);
  return b;
}

/** Compresses `data` into one LZ4 frame as Kafka's Java producer writes it. */
export async function lz4FrameCompress(data: Buffer): Promise<Buffer> {
  const codec = await lz4Wasm();
  const descriptor = Buffer.from([0x04, 0x22, 0x4d, 0x18, FLG_VERSION_01 | FLG_BLOCK_INDEPENDENCE, BD_64KB, 0]);
  descriptor[6] = (xxh32.hash(0, descriptor, 4, 2) >>> 8) & 0xff;
  const parts: Buffer[] = [descriptor];
  for (let pos = 0; pos < data.length; pos += WRITE_BLOCK_SIZE) {
    const chunk = data.subarray(pos, Math.min(pos + WRITE_BLOCK_SIZE, data.length));
    const out = codec.compress(chunk);
    const block = Buffer.from(out.buffer, out.byteOffset + 4, out.byteLength - 4);
    if (block.length >= chunk.length) {
      parts.push(u32le(chunk.length | INCOMPRESSIBLE), chunk);
    } else {
      parts.push(u32le(block.length), block);
    }
  }
  parts.push(u32le(0));
  return Buffer.concat(parts);
}

interface FrameBlock {
  pos: number;
  size: number;
  compressed: boolean;
}

/** Decompresses one LZ4 frame; throws an Error saying what is wrong with a malformed one. */
export async function lz4FrameDecompress(data: Buffer): Promise<Buffer> {
  if (data.length < 7 || data.readUInt32LE(0) !== MAGIC) throw new Error('lz4: not an LZ4 frame (bad magic)');
  const flg = data[4];
  const bd = data[5];
  if ((flg & FLG_VERSION_MASK) !== FLG_VERSION_01) throw new Error(`lz4: unsupported frame version (FLG ${flg})`);
  if (flg & FLG_RESERVED) throw new Error('lz4: reserved FLG bit set');
  if (flg & FLG_DICT_ID) throw new Error('lz4: frames with a dictionary id are not supported');
  const sizeId = (bd >> 4) & 7;
  if (sizeId < 4 || (bd & 0x8f) !== 0) throw new Error(`lz4: bad block descriptor (BD ${bd})`);
  const maxBlockSize = 1 << (2 * sizeId + 8);

  let pos = 6;
  let contentSize: number | undefined;
  if (flg & FLG_CONTENT_SIZE) {
    if (data.length < pos + 9) throw new Error('lz4: truncated frame descriptor');
    const size = data.readBigUInt64LE(pos);
    if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('lz4: content size too large');
    contentSize = Number(size);
    pos += 8;
  }
  const hc = (xxh32.hash(0, data, 4, pos - 4) >>> 8) & 0xff;
  if (data[pos] !== hc) throw new Error('lz4: frame descriptor checksum mismatch');
  pos++;

  const blockChecksums = (flg & FLG_BLOCK_CHECKSUM) !== 0;
  const blocks: FrameBlock[] = [];
  let capacity = 0;
  for (;;) {
    if (data.length < pos + 4) throw new Error('lz4: truncated frame (no end mark)');
    const word = data.readUInt32LE(pos);
    pos += 4;
    if (word === 0) break;
    const size = word & ~INCOMPRESSIBLE;
    const compressed = (word & INCOMPRESSIBLE) === 0;
    if (size > maxBlockSize) throw new Error(`lz4: block of ${size} bytes exceeds the frame's ${maxBlockSize}`);
    if (data.length < pos + size + (blockChecksums ? 4 : 0)) throw new Error('lz4: truncated block');
    if (blockChecksums && xxh32.hash(0, data, pos, size) !== data.readUInt32LE(pos + size)) {
      throw new Error('lz4: block checksum mismatch');
    }
    blocks.push({ pos, size, compressed });
    // An LZ4 block expands at most ~255 times (a match length byte of 0xFF is 255 output bytes).
    capacity += compressed ? Math.min(maxBlockSize, size * 255 + 64) : size;
    pos += size + (blockChecksums ? 4 : 0);
  }
  if (flg & FLG_CONTENT_CHECKSUM) {
    if (data.length < pos + 4) throw new Error('lz4: truncated content checksum');
    pos += 4;
  }
  if (pos !== data.length) throw new Error(`lz4: ${data.length - pos} trailing bytes after the frame`);
  if (contentSize !== undefined && contentSize > capacity) throw new Error('lz4: content size larger than the blocks can hold');

  const { decompressBlock } = await lz4js();
  const out = Buffer.alloc(contentSize ?? capacity);
  let written = 0;
  for (const block of blocks) {
    if (block.compressed) {
      const end = decompressBlock(data, out, block.pos, block.size, written);
      if (end > out.length || end - written > maxBlockSize) throw new Error('lz4: block decompresses past its bounds');
      written = end;
    } else {
      if (written + block.size > out.length) throw new Error('lz4: content larger than its declared size');
      data.copy(out, written, block.pos, block.pos + block.size);
      written += block.size;
    }
  }
  if (contentSize !== undefined && written !== contentSize) {
    throw new Error(`lz4: frame declares ${contentSize} content bytes, blocks hold ${written}`);
  }
  if ((flg & FLG_CONTENT_CHECKSUM) && xxh32.hash(0, out, 0, written) !== data.readUInt32LE(data.length - 4)) {
    throw new Error('lz4: content checksum mismatch');
  }
  return out.subarray(0, written);
}
