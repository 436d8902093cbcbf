/**
 * lib/protocol: Kafka's wire formats as Streambed stores them. RecordBatch v2 codec, CRC32C,
 * compression codecs, segment objects, and Kafka's default (murmur2) partitioner. Pure functions
 * over Buffers: no I/O, no AWS.
 */
export { type BatchHeader, rebaseBatches, scanBatches } from './batch-header';
export { COMPRESSION_TYPES, type CompressionType } from './compression';
export { crc32c } from './crc32c';
export { CorruptBatchError } from './errors';
export { defaultPartition, murmur2, toPositive } from './murmur2';
export type { DecodedRecord, RecordHeader, RecordInput } from './record';
export { type BatchInput, type DecodedBatch, decodeBatches, encodeBatch } from './record-batch';
export { encodeSegment, type SegmentBatchInfo, type SegmentOptions } from './segment';
