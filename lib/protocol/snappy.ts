/**
 * Snappy as Kafka's Java clients write it: snappy-java's `SnappyOutputStream` ("xerial" framing).
 *
 *   stream => header chunk*
 *   header => magic (8 bytes: 0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00) version int32 (1)
 *             compatibleVersion int32 (1)                    (big-endian, 16 bytes in all)
 *   chunk  => compressedLength int32 (big-endian), then that many bytes of one raw Snappy block,
 *             each block holding at most 32 KiB of input
 *
 * A reader also meets raw Snappy (one block, no header: librdkafka and some older clients send
 * it), and concatenated xerial streams (a second header where a chunk length is expected), which
 * `SnappyInputStream` accepts; both are read here. The block codec is `snappyjs` (pure JS).
 */
import snappyjs from 'snappyjs';

const MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const HEADER_SIZE = 16;
const VERSION = 1;
const MIN_COMPATIBLE_VERSION = 1;
/** snappy-java's `SnappyOutputStream.DEFAULT_BLOCK_SIZE`, which Kafka uses. */
const BLOCK_SIZE = 32 * 1024;

function header(): Buffer {
  const h = Buffer.alloc(HEADER_SIZE);
  MAGIC.copy(h, 0);
  h.writeInt32BE(VERSION, 8);
  h.writeInt32BE(MIN_COMPATIBLE_VERSION, 12);
  return h;
}

function startsWithMagic(buf: Buffer, pos: number): boolean {
  return buf.length - pos >= MAGIC.length && buf.compare(MAGIC, 0, MAGIC.length, pos, pos + MAGIC.length) === 0;
}

/** Compresses `data` exactly as snappy-java's `SnappyOutputStream` does (header + 32 KiB chunks). */
export function snappyXerialCompress(data: Buffer): Buffer {
  const parts: Buffer[] = [header()];
  for (let pos = 0; pos < data.length; pos += BLOCK_SIZE) {
    const block = snappyjs.compress(data.subarray(pos, Math.min(pos + BLOCK_SIZE, data.length)));
    const len = Buffer.alloc(4);
    len.writeInt32BE(block.length, 0);
    parts.push(len, Buffer.from(block.buffer, block.byteOffset, block.byteLength));
  }
  return Buffer.concat(parts);
}

function rawUncompress(block: Buffer): Buffer {
  const out = snappyjs.uncompress(block);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/** Decompresses xerial-framed Snappy (as Java writes it) or a raw Snappy block. */
export function snappyDecompress(data: Buffer): Buffer {
  if (!startsWithMagic(data, 0)) return rawUncompress(data);

  const parts: Buffer[] = [];
  let pos = 0;
  while (pos < data.length) {
    if (startsWithMagic(data, pos)) {
      if (data.length - pos < HEADER_SIZE) throw new Error('snappy: truncated xerial header');
      const compatible = data.readInt32BE(pos + 12);
      if (compatible > VERSION) {
        throw new Error(`snappy: xerial stream needs reader version ${compatible}, this one is ${VERSION}`);
      }
      pos += HEADER_SIZE;
      continue;
    }
    if (data.length - pos < 4) throw new Error('snappy: truncated xerial chunk length');
    const len = data.readInt32BE(pos);
    pos += 4;
    if (len < 0 || len > data.length - pos) throw new Error(`snappy: xerial chunk of ${len} bytes overruns the input`);
    parts.push(rawUncompress(data.subarray(pos, pos + len)));
    pos += len;
  }
  return Buffer.concat(parts);
}
