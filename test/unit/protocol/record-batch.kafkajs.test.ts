/**
 * Cross-checks against an independent implementation: kafkajs 2.2.4's RecordBatch v2 encoder and
 * decoder (its produce and fetch paths). kafkajs ships codecs for none and gzip only; snappy, lz4
 * and zstd are plugins not installed here, so those are covered by this codec's own round trips and
 * the Java fixtures in snappy/lz4-frame/zstd tests.
 */
import { describe, expect, it } from 'vitest';
import {
  type DecodedRecord,
  type RecordHeader,
  type RecordInput,
  decodeBatches,
  encodeBatch,
  encodeSegment,
  rebaseBatches,
} from '../../../lib/protocol';
import { KAFKAJS_CODEC, Long, kafkaDecodeBatches, kafkaRecord, kafkaRecordBatch } from './kafkajs';

type KafkajsHeaders = Record<string, Buffer | null | Array<Buffer | null>>;

/** kafkajs's decoded header shape: an object, repeated keys collected into arrays in order. */
function asKafkajsHeaders(headers: RecordHeader[]): KafkajsHeaders {
  const out: KafkajsHeaders = {};
  for (const { key, value } of headers) {
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

const T0 = 1_700_000_000_000;

function sampleRecords(n: number): RecordInput[] {
  return Array.from({ length: n }, (_, i) => ({
    key: i % 4 === 0 ? null : Buffer.from(`user-${i % 13}`),
    value: i % 9 === 0 ? null : Buffer.from(JSON.stringify({ i, text: 'é'.repeat(i % 5) })),
    headers:
      i % 3 === 0
        ? [
            { key: 'trace', value: Buffer.from(`t${i}`) },
            { key: 'dup', value: Buffer.from('1') },
            { key: 'dup', value: i % 2 ? null : Buffer.from('2') },
          ]
        : [],
    timestamp: T0 + ((i * 37) % 200) - 100,
  }));
}

describe.each(['none', 'gzip'] as const)('kafkajs cross-check, compression %s', (compression) => {
  it('kafkajs decodes a multi-batch segment after rebaseBatches, with the right offsets and fields', async () => {
    const records = sampleRecords(300);
    const { bytes, batches } = await encodeSegment(records, { compression, maxBatchBytes: 4_000, producerId: 77n, producerEpoch: 2, baseSequence: 10 });
    expect(batches.length).toBeGreaterThan(3);
    const base = 5_000_000;
    const decoded = await kafkaDecodeBatches(rebaseBatches(bytes, base));

    expect(decoded.map((b) => b.firstOffset)).toEqual(batches.map((b) => String(base + b.relativeOffset)));
    expect(decoded.map((b) => b.lastOffsetDelta)).toEqual(batches.map((b) => b.recordCount - 1));
    expect(decoded.map((b) => b.firstSequence)).toEqual(batches.map((b) => 10 + b.relativeOffset));
    expect(decoded.every((b) => b.producerId === '77' && b.producerEpoch === 2)).toBe(true);
    expect(decoded.map((b) => b.maxTimestamp)).toEqual(batches.map((b) => String(b.maxTimestamp)));

    const got = decoded.flatMap((b) => b.records);
    expect(got).toHaveLength(records.length);
    got.forEach((r, i) => {
      expect(r.offset).toBe(String(base + i));
      expect(r.timestamp).toBe(String(records[i].timestamp));
      expect(r.key).toEqual(records[i].key);
      expect(r.value).toEqual(records[i].value);
      expect(r.headers).toEqual(asKafkajsHeaders(records[i].headers));
    });
  });

  it('reads batches that kafkajs encodes', async () => {
    const firstBatch = await kafkaRecordBatch({
      compression: KAFKAJS_CODEC[compression],
      firstOffset: Long.fromNumber(1_000),
      firstTimestamp: T0,
      maxTimestamp: T0 + 50,
      partitionLeaderEpoch: 4,
      lastOffsetDelta: 2,
      producerId: Long.fromValue(123),
      producerEpoch: 1,
      firstSequence: 7,
      records: [
        kafkaRecord({ offsetDelta: 0, timestampDelta: 0, key: Buffer.from('a'), value: Buffer.from('one') }),
        kafkaRecord({
          offsetDelta: 1,
          timestampDelta: -20,
          key: null,
          value: Buffer.from('twö'),
          headers: { h: [Buffer.from('x'), Buffer.from('y')], z: Buffer.alloc(0) },
        }),
        kafkaRecord({ offsetDelta: 2, timestampDelta: 50, key: Buffer.from('c'), value: null }),
      ],
    });
    const secondBatch = await kafkaRecordBatch({
      compression: KAFKAJS_CODEC[compression],
      firstOffset: Long.fromNumber(1_003),
      firstTimestamp: T0 + 60,
      maxTimestamp: T0 + 60,
      partitionLeaderEpoch: 4,
      lastOffsetDelta: 0,
      producerId: Long.fromValue(-1),
      producerEpoch: -1,
      firstSequence: -1,
      records: [kafkaRecord({ offsetDelta: 0, timestampDelta: 0, key: Buffer.from('d'), value: Buffer.from('four') })],
    });

    const batches = await decodeBatches(Buffer.concat([firstBatch.buffer, secondBatch.buffer]));
    expect(batches.map((b) => [b.baseOffset, b.recordCount, b.compression])).toEqual([
      [1_000, 3, compression],
      [1_003, 1, compression],
    ]);
    expect(batches[0]).toMatchObject({ producerId: 123n, producerEpoch: 1, baseSequence: 7, firstTimestamp: T0, maxTimestamp: T0 + 50 });
    const records: DecodedRecord[] = batches.flatMap((b) => b.records);
    expect(records).toEqual([
      { offset: 1_000, timestamp: T0, key: Buffer.from('a'), value: Buffer.from('one'), headers: [] },
      {
        offset: 1_001,
        timestamp: T0 - 20,
        key: null,
        value: Buffer.from('twö'),
        headers: [
          { key: 'h', value: Buffer.from('x') },
          { key: 'h', value: Buffer.from('y') },
          { key: 'z', value: Buffer.alloc(0) },
        ],
      },
      { offset: 1_002, timestamp: T0 + 50, key: Buffer.from('c'), value: null, headers: [] },
      { offset: 1_003, timestamp: T0 + 60, key: Buffer.from('d'), value: Buffer.from('four'), headers: [] },
    ]);
  });

  it('writes the same bytes as kafkajs for the same batch', async () => {
    const records = sampleRecords(50).map((r) => ({ ...r, headers: r.headers.filter((h) => h.value !== null) }));
    const ours = await encodeBatch({ records, compression, baseOffset: 42, producerId: 9n, producerEpoch: 3, baseSequence: 5, partitionLeaderEpoch: 8 });
    const theirs = await kafkaRecordBatch({
      compression: KAFKAJS_CODEC[compression],
      firstOffset: Long.fromNumber(42),
      firstTimestamp: records[0].timestamp,
      maxTimestamp: Math.max(...records.map((r) => r.timestamp)),
      partitionLeaderEpoch: 8,
      lastOffsetDelta: records.length - 1,
      producerId: Long.fromValue(9),
      producerEpoch: 3,
      firstSequence: 5,
      records: records.map((r, i) =>
        kafkaRecord({
          offsetDelta: i,
          timestampDelta: r.timestamp - records[0].timestamp,
          key: r.key,
          value: r.value,
          // kafkajs groups a repeated key's values; these records repeat a key only back to back.
          headers: Object.fromEntries(
            Object.entries(asKafkajsHeaders(r.headers)).map(([k, v]) => [k, v as Buffer | Buffer[]]),
          ),
        }),
      ),
    });
    expect(ours.toString('hex')).toBe(theirs.buffer.toString('hex'));
  });
});
