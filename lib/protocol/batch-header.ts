/**
 * The fixed 61-byte head of a RecordBatch v2 (grammar in ./record-batch.ts): byte layout, the
 * header-only scan of a concatenation of batches, and the base-offset patch.
 *
 * `baseOffset` (bytes 0-7) sits before the CRC's range (attributes..end), so it can be rewritten
 * without touching the CRC. That is how segment objects are stored with relative offsets and
 * served with absolute ones, as a Kafka broker assigns offsets on append.
 */
import { type CompressionType, compressionOfId } from './compression';
import { crc32c } from './crc32c';
import { CorruptBatchError } from './errors';

export const MAGIC = 2;
/** baseOffset int64 + batchLength int32: the bytes not counted by batchLength. */
export const LOG_OVERHEAD = 12;
export const HEADER_SIZE = 61;

/** Byte positions of the header fields, from the start of the batch. */
export const AT = {
  baseOffset: 0,
  batchLength: 8,
  partitionLeaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordCount: 57,
  records: 61,
} as const;

export const ATTR_COMPRESSION_MASK = 0x07;
export const ATTR_LOG_APPEND_TIME = 0x08;

export interface BatchHeader {
  /** Byte position of the batch in the buffer. */
  position: number;
  /** The whole batch, including the 12-byte baseOffset + batchLength prefix. */
  byteLength: number;
  baseOffset: number;
  lastOffsetDelta: number;
  recordCount: number;
  firstTimestamp: number;
  maxTimestamp: number;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  compression: CompressionType;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function safeNumber(v: bigint, what: string, position: number): number {
  if (v > MAX_SAFE || v < -MAX_SAFE) throw new CorruptBatchError(`${what} ${v} is beyond a safe integer`, { position });
  return Number(v);
}

/**
 * Checks the framing of the batch at `pos` (prefix present, length within the buffer, magic 2) and
 * returns the position just past it.
 */
function batchEnd(buf: Buffer, pos: number): number {
  const remaining = buf.length - pos;
  if (remaining < LOG_OVERHEAD) {
    throw new CorruptBatchError(`truncated: ${remaining} bytes where a batch header (61 bytes) starts`, { position: pos });
  }
  const batchLength = buf.readInt32BE(pos + AT.batchLength);
  if (batchLength < HEADER_SIZE - LOG_OVERHEAD) {
    throw new CorruptBatchError(`batch length ${batchLength} is shorter than a batch header`, { position: pos });
  }
  const end = pos + LOG_OVERHEAD + batchLength;
  if (end > buf.length) {
    throw new CorruptBatchError(
      `truncated batch: it declares ${LOG_OVERHEAD + batchLength} bytes, ${remaining} remain`,
      { position: pos },
    );
  }
  const magic = buf.readInt8(pos + AT.magic);
  if (magic !== MAGIC) {
    throw new CorruptBatchError(`magic byte ${magic}: only RecordBatch v2 (magic 2) is supported`, { position: pos });
  }
  return end;
}

/** Verifies the CRC32C of the batch in [pos, end) and parses its header. */
export function readBatchHeader(buf: Buffer, pos: number, end: number): BatchHeader {
  const stored = buf.readUInt32BE(pos + AT.crc);
  const computed = crc32c(buf.subarray(pos + AT.attributes, end));
  if (stored !== computed) {
    throw new CorruptBatchError(
      `CRC32C mismatch: stored 0x${stored.toString(16).padStart(8, '0')}, computed 0x${computed.toString(16).padStart(8, '0')}`,
      { position: pos },
    );
  }
  const attributes = buf.readInt16BE(pos + AT.attributes);
  const compression = compressionOfId(attributes & ATTR_COMPRESSION_MASK);
  if (compression === undefined) {
    throw new CorruptBatchError(`unknown compression codec id ${attributes & ATTR_COMPRESSION_MASK}`, { position: pos });
  }
  const baseOffset = safeNumber(buf.readBigInt64BE(pos + AT.baseOffset), 'baseOffset', pos);
  if (baseOffset < 0) throw new CorruptBatchError(`negative baseOffset ${baseOffset}`, { position: pos });
  const recordCount = buf.readInt32BE(pos + AT.recordCount);
  if (recordCount < 0) throw new CorruptBatchError(`negative record count ${recordCount}`, { position: pos });
  return {
    position: pos,
    byteLength: end - pos,
    baseOffset,
    lastOffsetDelta: buf.readInt32BE(pos + AT.lastOffsetDelta),
    recordCount,
    firstTimestamp: safeNumber(buf.readBigInt64BE(pos + AT.baseTimestamp), 'baseTimestamp', pos),
    maxTimestamp: safeNumber(buf.readBigInt64BE(pos + AT.maxTimestamp), 'maxTimestamp', pos),
    producerId: buf.readBigInt64BE(pos + AT.producerId),
    producerEpoch: buf.readInt16BE(pos + AT.producerEpoch),
    baseSequence: buf.readInt32BE(pos + AT.baseSequence),
    compression,
  };
}

/** Header-only scan (no decompression, CRC checked): positions and offsets of each batch. */
export function scanBatches(buf: Buffer): BatchHeader[] {
  const headers: BatchHeader[] = [];
  for (let pos = 0; pos < buf.length; ) {
    const end = batchEnd(buf, pos);
    headers.push(readBatchHeader(buf, pos, end));
    pos = end;
  }
  return headers;
}

/**
 * A copy of buf with `delta` added to the baseOffset field of every batch (the "patch on read").
 * Checks the framing of every batch, not the CRCs (which do not cover baseOffset): decoding does.
 */
export function rebaseBatches(buf: Buffer, delta: number): Buffer {
  if (!Number.isSafeInteger(delta)) throw new RangeError(`delta must be a safe integer, got ${delta}`);
  const out = Buffer.from(buf);
  const d = BigInt(delta);
  for (let pos = 0; pos < out.length; ) {
    const end = batchEnd(out, pos);
    const rebased = out.readBigInt64BE(pos + AT.baseOffset) + d;
    if (rebased < 0n || rebased > MAX_SAFE) {
      throw new RangeError(`rebasing the batch at byte ${pos} by ${delta} gives baseOffset ${rebased}`);
    }
    out.writeBigInt64BE(rebased, pos + AT.baseOffset);
    pos = end;
  }
  return out;
}
