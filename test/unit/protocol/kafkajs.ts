/**
 * kafkajs 2.2.4 internals used as an independent implementation in cross-checks. kafkajs is
 * CommonJS and ships no types for these modules, so the few functions used are typed here.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface KafkaLong {
  toString(): string;
}
export interface KafkaEncoder {
  buffer: Buffer;
  writeVarInt(n: number): KafkaEncoder;
  writeVarLong(n: number): KafkaEncoder;
}
export interface KafkaDecodedRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | null | Array<Buffer | null>>;
}
export interface KafkaDecodedBatch {
  firstOffset: string;
  firstTimestamp: string;
  maxTimestamp: string;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  lastOffsetDelta: number;
  partitionLeaderEpoch: number;
  records: KafkaDecodedRecord[];
}
interface KafkaDecoder {
  offset: number;
  canReadBytes(n: number): boolean;
}

export const Long: { fromNumber(n: number): KafkaLong; fromValue(v: number | string): KafkaLong } = require(
  'kafkajs/src/utils/long',
);
export const Encoder: new () => KafkaEncoder = require('kafkajs/src/protocol/encoder');
const Decoder: new (buf: Buffer) => KafkaDecoder = require('kafkajs/src/protocol/decoder');
const recordBatchV0: {
  RecordBatch(args: {
    compression: number;
    firstOffset: KafkaLong;
    firstTimestamp: number;
    maxTimestamp: number;
    partitionLeaderEpoch: number;
    lastOffsetDelta: number;
    producerId: KafkaLong;
    producerEpoch: number;
    firstSequence: number;
    records: KafkaEncoder[];
  }): Promise<KafkaEncoder>;
} = require('kafkajs/src/protocol/recordBatch/v0');
export const kafkaRecord: (args: {
  offsetDelta: number;
  timestampDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | Buffer[]>;
}) => KafkaEncoder = require('kafkajs/src/protocol/recordBatch/record/v0');
const recordBatchDecoder: (d: KafkaDecoder) => Promise<KafkaDecodedBatch> = require(
  'kafkajs/src/protocol/recordBatch/v0/decoder',
);
export const kafkaCrc32c: (buf: Buffer) => number = require('kafkajs/src/protocol/recordBatch/crc32C');
export const kafkaMurmur2: (key: Buffer) => number = require('kafkajs/src/producer/partitioners/default/murmur2');
export const KAFKAJS_CODEC = { none: 0, gzip: 1 } as const;

export const kafkaRecordBatch = recordBatchV0.RecordBatch;

/** Decodes every batch of a concatenation with kafkajs's RecordBatch decoder (its fetch path). */
export async function kafkaDecodeBatches(buf: Buffer): Promise<KafkaDecodedBatch[]> {
  const decoder = new Decoder(buf);
  const batches: KafkaDecodedBatch[] = [];
  while (decoder.canReadBytes(1)) batches.push(await recordBatchDecoder(decoder));
  return batches;
}
