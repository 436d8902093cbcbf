/**
 * The compression codecs of a RecordBatch v2: attributes bits 0-2 name the codec that compressed
 * the records section (everything after the record count).
 *
 *   0 none | 1 gzip | 2 snappy (xerial-framed) | 3 lz4 (LZ4 frame) | 4 zstd
 *
 * The API is async: gzip runs on libuv's thread pool, and the WASM codecs load on first use.
 * Which library implements each codec, and why: docs/decisions/0001-segment-format.md.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { lz4FrameCompress, lz4FrameDecompress } from './lz4-frame';
import { snappyDecompress, snappyXerialCompress } from './snappy';
import { zstdCompress, zstdDecompress } from './zstd';

export type CompressionType = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** Indexed by the attributes codec id (0-4). */
export const COMPRESSION_TYPES: readonly CompressionType[] = Object.freeze(['none', 'gzip', 'snappy', 'lz4', 'zstd']);

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

/** The attributes codec id (bits 0-2) of a compression type. */
export function compressionId(type: CompressionType): number {
  const id = COMPRESSION_TYPES.indexOf(type);
  if (id < 0) throw new RangeError(`unknown compression type: ${String(type)}`);
  return id;
}

/** The compression type of a codec id, or undefined for the unassigned ids 5-7. */
export function compressionOfId(id: number): CompressionType | undefined {
  return COMPRESSION_TYPES[id];
}

export async function compress(type: CompressionType, data: Buffer): Promise<Buffer> {
  switch (type) {
    case 'none':
      return data;
    case 'gzip':
      return gzip(data);
    case 'snappy':
      return snappyXerialCompress(data);
    case 'lz4':
      return lz4FrameCompress(data);
    case 'zstd':
      return zstdCompress(data);
    default:
      throw new RangeError(`unknown compression type: ${String(type satisfies never)}`);
  }
}

export async function decompress(type: CompressionType, data: Buffer): Promise<Buffer> {
  switch (type) {
    case 'none':
      return data;
    case 'gzip':
      return gunzip(data);
    case 'snappy':
      return snappyDecompress(data);
    case 'lz4':
      return lz4FrameDecompress(data);
    case 'zstd':
      return zstdDecompress(data);
    default:
      throw new RangeError(`unknown compression type: ${String(type satisfies never)}`);
  }
}
