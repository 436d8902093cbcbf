/**
 * Kafka RecordBatch v2 (magic 2), the unit of Kafka's log, produce and fetch (DefaultRecordBatch):
 *
 *   RecordBatch =>
 *     baseOffset            int64   offset of the first record (not covered by the CRC)
 *     batchLength           int32   bytes after this field
 *     partitionLeaderEpoch  int32   -1 when not set (not covered by the CRC)
 *     magic                 int8    2
 *     crc                   uint32  CRC32C of attributes..end of batch
 *     attributes            int16   bits 0-2 compression (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd)
 *                                   bit 3 timestampType (0 CreateTime, 1 LogAppendTime)
 *                                   bit 4 isTransactional, bit 5 isControlBatch
 *     lastOffsetDelta       int32   offset of the last record - baseOffset
 *     baseTimestamp         int64   timestamp of the first record (epoch ms)
 *     maxTimestamp          int64   largest record timestamp
 *     producerId            int64   -1 when not idempotent
 *     producerEpoch         int16   -1 when not idempotent
 *     baseSequence          int32   -1 when not idempotent
 *     recordCount           int32
 *     records               [Record] (./record.ts); when compressed, one compressed blob of all
 *                                   the records, to the end of the batch
 *
 * Encoding writes CreateTime batches that are neither transactional nor control batches.
 * Decoding verifies the CRC and throws CorruptBatchError on any inconsistency.
 */
import { AT, ATTR_LOG_APPEND_TIME, type BatchHeader, HEADER_SIZE, LOG_OVERHEAD, MAGIC, scanBatches } from './batch-header';
import { type CompressionType, compress, compressionId, decompress } from './compression';
import { crc32c } from './crc32c';
import { CorruptBatchError } from './errors';
import { type DecodedRecord, type RecordInput, readRecord, recordBodySize, validateRecord, writeRecord } from './record';
import { type Cursor, sizeOfVarint } from './varint';

export interface BatchInput {
  records: RecordInput[];
  compression?: CompressionType;
  baseOffset?: number;
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  partitionLeaderEpoch?: number;
}

export interface DecodedBatch extends BatchHeader {
  records: DecodedRecord[];
}

/** The smallest record: length, attributes, timestampDelta, offsetDelta, key, value, headers. */
const MIN_RECORD_SIZE = 7;

function checkInt(value: number, bits: 16 | 32, what: string): void {
  const limit = 2 ** (bits - 1);
  if (!Number.isInteger(value) || value < -limit || value >= limit) {
    throw new RangeError(`${what} must be an int${bits}, got ${value}`);
  }
}

/** Encodes the records section (uncompressed) of a batch into `buf` at `pos`; returns the end. */
function writeRecords(buf: Buffer, pos: number, records: RecordInput[], bodySizes: number[], baseTimestamp: number): number {
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    pos = writeRecord(buf, pos, r, r.timestamp - baseTimestamp, i, bodySizes[i]);
  }
  return pos;
}

/**
 * Encodes one batch. baseTimestamp is the first record's timestamp, maxTimestamp the largest;
 * record i gets offsetDelta i.
 *
 * @example
 *   const bytes = await encodeBatch({ records: [{ key: null, value: Buffer.from('v'), headers: [], timestamp: Date.now() }] });
 */
export async function encodeBatch(input: BatchInput): Promise<Buffer> {
  const {
    records,
    compression = 'none',
    baseOffset = 0,
    producerId = -1n,
    producerEpoch = -1,
    baseSequence = -1,
    partitionLeaderEpoch = -1,
  } = input;
  if (!Array.isArray(records) || records.length === 0) throw new RangeError('a batch needs at least one record');
  if (!Number.isSafeInteger(baseOffset) || baseOffset < 0) throw new RangeError(`baseOffset must be a non-negative safe integer, got ${baseOffset}`);
  if (typeof producerId !== 'bigint' || BigInt.asIntN(64, producerId) !== producerId) throw new RangeError('producerId must be an int64 bigint');
  checkInt(producerEpoch, 16, 'producerEpoch');
  checkInt(baseSequence, 32, 'baseSequence');
  checkInt(partitionLeaderEpoch, 32, 'partitionLeaderEpoch');
  const codec = compressionId(compression);

  const baseTimestamp = records[0].timestamp;
  let maxTimestamp = baseTimestamp;
  const bodySizes = new Array<number>(records.length);
  let recordsSize = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    validateRecord(r, i);
    if (r.timestamp > maxTimestamp) maxTimestamp = r.timestamp;
    bodySizes[i] = recordBodySize(r, r.timestamp - baseTimestamp, i);
    recordsSize += sizeOfVarint(bodySizes[i]) + bodySizes[i];
  }

  let batch: Buffer;
  if (compression === 'none') {
    batch = Buffer.allocUnsafe(HEADER_SIZE + recordsSize);
    const end = writeRecords(batch, HEADER_SIZE, records, bodySizes, baseTimestamp);
    if (end !== batch.length) throw new Error(`internal: records took ${end - HEADER_SIZE} bytes, sized ${recordsSize}`);
  } else {
    const plain = Buffer.allocUnsafe(recordsSize);
    const end = writeRecords(plain, 0, records, bodySizes, baseTimestamp);
    if (end !== plain.length) throw new Error(`internal: records took ${end} bytes, sized ${recordsSize}`);
    const section = await compress(compression, plain);
    batch = Buffer.allocUnsafe(HEADER_SIZE + section.length);
    section.copy(batch, HEADER_SIZE);
  }
  if (batch.length - LOG_OVERHEAD > 0x7fffffff) throw new RangeError(`batch of ${batch.length} bytes exceeds int32 batchLength`);

  batch.writeBigInt64BE(BigInt(baseOffset), AT.baseOffset);
  batch.writeInt32BE(batch.length - LOG_OVERHEAD, AT.batchLength);
  batch.writeInt32BE(partitionLeaderEpoch, AT.partitionLeaderEpoch);
  batch.writeInt8(MAGIC, AT.magic);
  batch.writeInt16BE(codec, AT.attributes); // CreateTime, not transactional, not control
  batch.writeInt32BE(records.length - 1, AT.lastOffsetDelta);
  batch.writeBigInt64BE(BigInt(baseTimestamp), AT.baseTimestamp);
  batch.writeBigInt64BE(BigInt(maxTimestamp), AT.maxTimestamp);
  batch.writeBigInt64BE(producerId, AT.producerId);
  batch.writeInt16BE(producerEpoch, AT.producerEpoch);
  batch.writeInt32BE(baseSequence, AT.baseSequence);
  batch.writeInt32BE(records.length, AT.recordCount);
  batch.writeUInt32BE(crc32c(batch.subarray(AT.attributes)), AT.crc);
  return batch;
}

async function decodeOne(buf: Buffer, h: BatchHeader, offsetDelta: number): Promise<DecodedBatch> {
  const position = h.position;
  const section = buf.subarray(position + HEADER_SIZE, position + h.byteLength);
  let plain: Buffer;
  try {
    plain = await decompress(h.compression, section);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new CorruptBatchError(`records section does not decompress as ${h.compression}: ${why}`, { position, cause: err });
  }
  if (h.recordCount * MIN_RECORD_SIZE > plain.length) {
    throw new CorruptBatchError(`record count ${h.recordCount} does not fit in ${plain.length} bytes of records`, { position });
  }
  const baseOffset = h.baseOffset + offsetDelta;
  const logAppendTime = (buf.readInt16BE(position + AT.attributes) & ATTR_LOG_APPEND_TIME) !== 0;
  const override = logAppendTime ? h.maxTimestamp : undefined;
  const cursor: Cursor = { buf: plain, pos: 0, end: plain.length };
  const records = new Array<DecodedRecord>(h.recordCount);
  let i = 0;
  try {
    for (; i < h.recordCount; i++) records[i] = readRecord(cursor, baseOffset, h.firstTimestamp, override);
  } catch (err) {
    if (err instanceof CorruptBatchError && err.position === undefined) {
      throw new CorruptBatchError(`record ${i}: ${err.message}`, { position, cause: err });
    }
    throw err;
  }
  if (cursor.pos !== cursor.end) {
    throw new CorruptBatchError(`${cursor.end - cursor.pos} bytes left after ${h.recordCount} records`, { position });
  }
  return { ...h, baseOffset, records };
}

/**
 * Decodes every batch of a concatenation; `offsetDelta` is added to each batch's baseOffset (and
 * record offsets) as it is read. Verifies CRCs.
 */
export async function decodeBatches(buf: Buffer, opts: { offsetDelta?: number } = {}): Promise<DecodedBatch[]> {
  const offsetDelta = opts.offsetDelta ?? 0;
  if (!Number.isSafeInteger(offsetDelta)) throw new RangeError(`offsetDelta must be a safe integer, got ${offsetDelta}`);
  const headers = scanBatches(buf);
  const batches: DecodedBatch[] = [];
  for (const h of headers) batches.push(await decodeOne(buf, h, offsetDelta));
  return batches;
}
