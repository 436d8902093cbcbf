/**
 * A segment object: what one append stores in S3 for one partition.
 *
 *   Segment => RecordBatch*   (plain concatenation, no header or footer of its own)
 *
 * Batch i has baseOffset = the number of records before it in the segment (the first batch is 0),
 * so a segment is written before its offsets are known and never rewritten: a reader adds the
 * segment's absolute base with rebaseBatches (baseOffset is outside the CRC) or with
 * decodeBatches(buf, { offsetDelta }). After the patch, any Kafka decoder reads the bytes as-is.
 */
import { HEADER_SIZE } from './batch-header';
import type { CompressionType } from './compression';
import { encodeBatch } from './record-batch';
import { type RecordInput, recordSize, validateRecord } from './record';

export interface SegmentBatchInfo {
  /** baseOffset of the batch within the segment (records before it). */
  relativeOffset: number;
  /** Byte position of the batch in the segment. */
  position: number;
  byteLength: number;
  recordCount: number;
  maxTimestamp: number;
}

export interface SegmentOptions {
  compression?: CompressionType;
  /** Uncompressed size limit of a batch, header included; default 1 MiB. */
  maxBatchBytes?: number;
  producerId?: bigint;
  producerEpoch?: number;
  /** Sequence of the segment's first record; batch i gets baseSequence + relativeOffset. */
  baseSequence?: number;
}

export const DEFAULT_MAX_BATCH_BYTES = 1024 * 1024;

const INT32_MAX = 0x7fffffff;

/** Kafka's `DefaultRecordBatch.incrementSequence`: producer sequences wrap from 2^31-1 to 0. */
export function incrementSequence(sequence: number, increment: number): number {
  if (sequence > INT32_MAX - increment) return increment - (INT32_MAX - sequence) - 1;
  return sequence + increment;
}

/** Splits records into runs whose uncompressed batch size stays within maxBatchBytes. */
function splitIntoBatches(records: RecordInput[], maxBatchBytes: number): Array<{ start: number; end: number }> {
  const runs: Array<{ start: number; end: number }> = [];
  let start = 0;
  while (start < records.length) {
    const baseTimestamp = records[start].timestamp;
    let size = HEADER_SIZE;
    let end = start;
    while (end < records.length) {
      const next = recordSize(records[end], records[end].timestamp - baseTimestamp, end - start);
      if (end > start && size + next > maxBatchBytes) break;
      size += next;
      end++;
    }
    runs.push({ start, end });
    start = end;
  }
  return runs;
}

/**
 * Encodes records into one segment object: batches of at most ~maxBatchBytes (uncompressed, default
 * 1 MiB; a single larger record gets a batch of its own), base offsets relative to the segment
 * (first batch 0).
 *
 * @example
 *   const { bytes, batches } = await encodeSegment(records, { compression: 'zstd' });
 *   // store `bytes`; serve them with rebaseBatches(bytes, segmentBaseOffset)
 */
export async function encodeSegment(
  records: RecordInput[],
  opts: SegmentOptions = {},
): Promise<{ bytes: Buffer; batches: SegmentBatchInfo[] }> {
  const maxBatchBytes = opts.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  if (!Number.isSafeInteger(maxBatchBytes) || maxBatchBytes < 1) {
    throw new RangeError(`maxBatchBytes must be a positive integer, got ${maxBatchBytes}`);
  }
  if (!Array.isArray(records) || records.length === 0) throw new RangeError('a segment needs at least one record');
  if (opts.baseSequence !== undefined && (!Number.isInteger(opts.baseSequence) || opts.baseSequence < 0 || opts.baseSequence > INT32_MAX)) {
    throw new RangeError(`baseSequence must be a non-negative int32, got ${opts.baseSequence}`);
  }
  records.forEach(validateRecord);

  const runs = splitIntoBatches(records, maxBatchBytes);
  const encoded = await Promise.all(
    runs.map(({ start, end }) =>
      encodeBatch({
        records: records.slice(start, end),
        compression: opts.compression,
        baseOffset: start,
        producerId: opts.producerId,
        producerEpoch: opts.producerEpoch,
        baseSequence: opts.baseSequence === undefined ? -1 : incrementSequence(opts.baseSequence, start),
      }),
    ),
  );

  const batches: SegmentBatchInfo[] = [];
  let position = 0;
  runs.forEach(({ start, end }, i) => {
    let maxTimestamp = records[start].timestamp;
    for (let j = start + 1; j < end; j++) maxTimestamp = Math.max(maxTimestamp, records[j].timestamp);
    batches.push({ relativeOffset: start, position, byteLength: encoded[i].length, recordCount: end - start, maxTimestamp });
    position += encoded[i].length;
  });
  return { bytes: Buffer.concat(encoded, position), batches };
}
