import { describe, expect, it } from 'vitest';
import {
  COMPRESSION_TYPES,
  CorruptBatchError,
  type DecodedRecord,
  type RecordInput,
  decodeBatches,
  encodeBatch,
} from '../../../lib/protocol';
import { crc32c } from '../../../lib/protocol/crc32c';
import { kafkaCrc32c } from './kafkajs';

/** Hand-derived from the RecordBatch v2 grammar, field by field (see record-batch.ts / record.ts). */
const GOLDEN_HEX = [
  '0000000000000005', // baseOffset 5
  '0000004b', //         batchLength 75 = 87 - 12
  'ffffffff', //         partitionLeaderEpoch -1
  '02', //               magic 2
  '49db8e00', //         crc (CRC32C of the rest; computed independently with kafkajs below)
  '0000', //             attributes: no compression, CreateTime
  '00000001', //         lastOffsetDelta 1
  '00000000000003e8', // baseTimestamp 1000 (the first record's)
  '00000000000003e8', // maxTimestamp 1000
  'ffffffffffffffff', // producerId -1
  'ffff', //             producerEpoch -1
  'ffffffff', //         baseSequence -1
  '00000002', //         recordCount 2
  // record 0: length 9, attributes 0, timestampDelta 0, offsetDelta 0, key "k", value "v1", 0 headers
  '12', '00', '00', '00', '02', '6b', '04', '7631', '00',
  // record 1: length 15, attributes 0, timestampDelta -2 (zigzag 3), offsetDelta 1 (zigzag 2),
  // key null (-1 → 01), value "hi", 2 headers: "a" → "b", "a" → null
  '1e', '00', '03', '02', '01', '04', '6869', '04', '02', '61', '02', '62', '02', '61', '01',
].join('');

const GOLDEN_RECORDS: RecordInput[] = [
  { key: Buffer.from('k'), value: Buffer.from('v1'), headers: [], timestamp: 1000 },
  {
    key: null,
    value: Buffer.from('hi'),
    headers: [
      { key: 'a', value: Buffer.from('b') },
      { key: 'a', value: null },
    ],
    timestamp: 998,
  },
];

function strip(r: DecodedRecord): RecordInput {
  return { key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp };
}

async function roundTrip(records: RecordInput[], compression = COMPRESSION_TYPES[0]): Promise<DecodedRecord[]> {
  const [batch, ...rest] = await decodeBatches(await encodeBatch({ records, compression }));
  expect(rest).toHaveLength(0);
  return batch.records;
}

function withCrcFixed(batch: Buffer): Buffer {
  batch.writeUInt32BE(crc32c(batch.subarray(21)), 17);
  return batch;
}

describe('encodeBatch: golden bytes', () => {
  it('writes the hand-derived bytes exactly', async () => {
    const bytes = await encodeBatch({ records: GOLDEN_RECORDS, baseOffset: 5 });
    expect(bytes.toString('hex')).toBe(GOLDEN_HEX);
  });

  it('the fixture CRC is what an independent CRC32C (kafkajs) computes', () => {
    const golden = Buffer.from(GOLDEN_HEX, 'hex');
    expect(kafkaCrc32c(golden.subarray(21))).toBe(golden.readUInt32BE(17));
  });

  it('decodes the golden bytes field by field', async () => {
    const [batch] = await decodeBatches(Buffer.from(GOLDEN_HEX, 'hex'));
    expect(batch).toMatchObject({
      position: 0,
      byteLength: 87,
      baseOffset: 5,
      lastOffsetDelta: 1,
      recordCount: 2,
      firstTimestamp: 1000,
      maxTimestamp: 1000,
      producerId: -1n,
      producerEpoch: -1,
      baseSequence: -1,
      compression: 'none',
    });
    expect(batch.records.map((r) => r.offset)).toEqual([5, 6]);
    expect(batch.records.map(strip)).toEqual(GOLDEN_RECORDS);
  });

  it('writes the producer fields and leader epoch it is given', async () => {
    const bytes = await encodeBatch({
      records: GOLDEN_RECORDS,
      producerId: 0x0102030405060708n,
      producerEpoch: 7,
      baseSequence: 42,
      partitionLeaderEpoch: 3,
    });
    expect(bytes.readInt32BE(12)).toBe(3);
    expect(bytes.readBigInt64BE(43)).toBe(0x0102030405060708n);
    const [batch] = await decodeBatches(bytes);
    expect(batch).toMatchObject({ producerId: 0x0102030405060708n, producerEpoch: 7, baseSequence: 42 });
  });
});

describe('round trips', () => {
  const edgeRecords: RecordInput[] = [
    { key: null, value: Buffer.from('null key'), headers: [], timestamp: 1_700_000_000_000 },
    { key: Buffer.from('null value'), value: null, headers: [], timestamp: 1_700_000_000_005 },
    { key: Buffer.alloc(0), value: Buffer.alloc(0), headers: [], timestamp: 1_700_000_000_001 },
    {
      key: Buffer.from('dup headers'),
      value: Buffer.from([0, 255, 1]),
      headers: [
        { key: 'x', value: Buffer.from('1') },
        { key: 'y', value: null },
        { key: 'x', value: Buffer.from('2') },
        { key: '', value: Buffer.alloc(0) },
      ],
      timestamp: 1_699_999_999_000, // negative delta
    },
    {
      key: Buffer.from('ключ 🔑', 'utf8'),
      value: Buffer.from('値 ✓ 𝄞', 'utf8'),
      headers: [{ key: 'en-tête ✉', value: Buffer.from('ü') }],
      timestamp: 1_700_000_000_000,
    },
  ];

  for (const compression of COMPRESSION_TYPES) {
    it(`keeps every edge case with compression ${compression}`, async () => {
      const bytes = await encodeBatch({ records: edgeRecords, compression });
      const [batch] = await decodeBatches(bytes);
      expect(batch.compression).toBe(compression);
      expect(batch.firstTimestamp).toBe(1_700_000_000_000);
      expect(batch.maxTimestamp).toBe(1_700_000_000_005);
      expect(batch.records.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4]);
      expect(batch.records.map(strip)).toEqual(edgeRecords);
      expect(batch.records[0].key).toBeNull();
      expect(batch.records[1].value).toBeNull();
      expect(batch.records[2].value).toEqual(Buffer.alloc(0));
    });

    it(`keeps 10k records with compression ${compression}`, async () => {
      const records: RecordInput[] = Array.from({ length: 10_000 }, (_, i) => ({
        key: i % 10 === 0 ? null : Buffer.from(`key-${i % 97}`),
        value: Buffer.from(`value ${i} `.repeat(1 + (i % 5))),
        headers: i % 3 === 0 ? [{ key: 'trace', value: Buffer.from(String(i)) }] : [],
        timestamp: 1_700_000_000_000 + ((i * 7919) % 5000) - 2500,
      }));
      const decoded = await roundTrip(records, compression);
      expect(decoded).toHaveLength(10_000);
      expect(decoded[9_999].offset).toBe(9_999);
      expect(decoded.map(strip)).toEqual(records);
    });
  }

  it('decoded keys and values are copies, not views of the input', async () => {
    const bytes = await encodeBatch({ records: GOLDEN_RECORDS });
    const [batch] = await decodeBatches(bytes);
    bytes.fill(0);
    expect(batch.records[0].value).toEqual(Buffer.from('v1'));
  });
});

describe('encodeBatch input checks', () => {
  it('refuses an empty batch, a bad baseOffset and out-of-range producer fields', async () => {
    await expect(encodeBatch({ records: [] })).rejects.toThrow(RangeError);
    await expect(encodeBatch({ records: GOLDEN_RECORDS, baseOffset: -1 })).rejects.toThrow(RangeError);
    await expect(encodeBatch({ records: GOLDEN_RECORDS, producerEpoch: 40000 })).rejects.toThrow(RangeError);
    await expect(encodeBatch({ records: GOLDEN_RECORDS, baseSequence: 2 ** 31 })).rejects.toThrow(RangeError);
    await expect(encodeBatch({ records: GOLDEN_RECORDS, producerId: 2n ** 63n })).rejects.toThrow(RangeError);
  });

  it('refuses malformed records with a TypeError naming the record', async () => {
    const bad = { key: 'not a buffer', value: null, headers: [], timestamp: 1 } as unknown as RecordInput;
    await expect(encodeBatch({ records: [GOLDEN_RECORDS[0], bad] })).rejects.toThrow(/record 1: key/);
    const badTs = { ...GOLDEN_RECORDS[0], timestamp: 1.5 };
    await expect(encodeBatch({ records: [badTs] })).rejects.toThrow(TypeError);
  });
});

describe('corruption', () => {
  it('detects every flipped byte the CRC covers, and a bad magic or length', async () => {
    const good = Buffer.from(GOLDEN_HEX, 'hex');
    for (let i = 8; i < good.length; i++) {
      if (i >= 12 && i < 16) continue; // partitionLeaderEpoch: outside the CRC, as in Kafka
      const bad = Buffer.from(good);
      bad[i] ^= 0x01;
      await expect(decodeBatches(bad), `byte ${i}`).rejects.toThrow(CorruptBatchError);
    }
  });

  it('says CRC32C mismatch when a record byte flips', async () => {
    const bad = Buffer.from(GOLDEN_HEX, 'hex');
    bad[70] ^= 0xff;
    await expect(decodeBatches(bad)).rejects.toThrow(/CRC32C mismatch/);
  });

  it('detects truncation at any length', async () => {
    const good = Buffer.from(GOLDEN_HEX, 'hex');
    for (let len = 1; len < good.length; len++) {
      await expect(decodeBatches(good.subarray(0, len)), `length ${len}`).rejects.toThrow(CorruptBatchError);
    }
  });

  it('names a bad magic byte', async () => {
    const bad = Buffer.from(GOLDEN_HEX, 'hex');
    bad[16] = 1;
    await expect(decodeBatches(bad)).rejects.toThrow(/magic byte 1/);
  });

  it('rejects records that do not parse even when the CRC matches', async () => {
    const bad = Buffer.from(GOLDEN_HEX, 'hex');
    bad[61] = 0x7e; // record 0 claims 63 bytes
    await expect(decodeBatches(withCrcFixed(bad))).rejects.toThrow(/bad record length/);
    const extra = Buffer.from(GOLDEN_HEX, 'hex');
    extra.writeInt32BE(1, 57); // one record declared, two present
    await expect(decodeBatches(withCrcFixed(extra))).rejects.toThrow(/bytes left after 1 records/);
  });

  it('rejects a compressed section that does not decompress, even when the CRC matches', async () => {
    for (const compression of COMPRESSION_TYPES.filter((c) => c !== 'none')) {
      const bytes = await encodeBatch({ records: GOLDEN_RECORDS, compression });
      bytes.fill(0x5a, 61 + 2, 61 + 12);
      await expect(decodeBatches(withCrcFixed(bytes)), compression).rejects.toThrow(CorruptBatchError);
    }
  });

  it('rejects an unassigned compression id', async () => {
    const bad = Buffer.from(GOLDEN_HEX, 'hex');
    bad.writeInt16BE(5, 21);
    await expect(decodeBatches(withCrcFixed(bad))).rejects.toThrow(/compression codec id 5/);
  });
});

describe('timestamp types', () => {
  it('gives every record the batch maxTimestamp in a LogAppendTime batch, as Kafka readers do', async () => {
    const bytes = await encodeBatch({ records: GOLDEN_RECORDS });
    bytes.writeInt16BE(0x08, 21);
    bytes.writeBigInt64BE(5000n, 35);
    const [batch] = await decodeBatches(withCrcFixed(bytes));
    expect(batch.records.map((r) => r.timestamp)).toEqual([5000, 5000]);
  });
});
