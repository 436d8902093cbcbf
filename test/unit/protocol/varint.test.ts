import { describe, expect, it } from 'vitest';
import { CorruptBatchError } from '../../../lib/protocol';
import {
  type Cursor,
  readVarint,
  readVarlong,
  sizeOfVarint,
  sizeOfVarlong,
  writeVarint,
  writeVarlong,
} from '../../../lib/protocol/varint';
import { Encoder } from './kafkajs';

function cursor(hex: string): Cursor {
  const buf = Buffer.from(hex, 'hex');
  return { buf, pos: 0, end: buf.length };
}

function varint(n: number): string {
  const buf = Buffer.alloc(5);
  const end = writeVarint(buf, 0, n);
  expect(end).toBe(sizeOfVarint(n));
  return buf.subarray(0, end).toString('hex');
}

function varlong(n: number): string {
  const buf = Buffer.alloc(10);
  const end = writeVarlong(buf, 0, n);
  expect(end).toBe(sizeOfVarlong(n));
  return buf.subarray(0, end).toString('hex');
}

describe('varint (zigzag int32)', () => {
  it('encodes the protobuf zigzag vectors', () => {
    expect(varint(0)).toBe('00');
    expect(varint(-1)).toBe('01');
    expect(varint(1)).toBe('02');
    expect(varint(-2)).toBe('03');
    expect(varint(63)).toBe('7e');
    expect(varint(-64)).toBe('7f');
    expect(varint(64)).toBe('8001');
    expect(varint(300)).toBe('d804');
    expect(varint(2147483647)).toBe('feffffff0f');
    expect(varint(-2147483648)).toBe('ffffffff0f');
  });

  it('reads back what it writes, and matches kafkajs byte for byte', () => {
    const values = [0, 1, -1, 127, 128, -129, 16383, 16384, 1 << 20, -(1 << 27), 2147483647, -2147483648];
    for (let i = 0; i < 200; i++) values.push(Math.floor((Math.random() - 0.5) * 2 ** 32) | 0);
    for (const n of values) {
      const hex = varint(n);
      expect(hex).toBe(new Encoder().writeVarInt(n).buffer.toString('hex'));
      const c = cursor(hex);
      expect(readVarint(c)).toBe(n);
      expect(c.pos).toBe(c.end);
    }
  });

  it('refuses values outside int32 on write', () => {
    expect(() => writeVarint(Buffer.alloc(10), 0, 2 ** 31)).toThrow(RangeError);
    expect(() => writeVarint(Buffer.alloc(10), 0, 1.5)).toThrow(RangeError);
  });

  it('throws CorruptBatchError on a truncated or over-long varint', () => {
    expect(() => readVarint(cursor('80'))).toThrow(CorruptBatchError);
    expect(() => readVarint(cursor('ffffffffff01'))).toThrow(/longer than 5 bytes/);
  });
});

describe('varlong (zigzag int64, safe-integer range)', () => {
  it('encodes known values', () => {
    expect(varlong(0)).toBe('00');
    expect(varlong(-1)).toBe('01');
    expect(varlong(1)).toBe('02');
    expect(varlong(2 ** 35)).toBe(new Encoder().writeVarLong(2 ** 35).buffer.toString('hex'));
  });

  it('round-trips timestamps and large deltas, matching kafkajs', () => {
    const values = [1_700_000_000_000, -1_700_000_000_000, 2 ** 31, -(2 ** 31) - 1, 2 ** 52 - 1, -(2 ** 52)];
    for (let i = 0; i < 200; i++) values.push(Math.round((Math.random() - 0.5) * 2 ** 50));
    for (const n of values) {
      const hex = varlong(n);
      expect(hex).toBe(new Encoder().writeVarLong(n).buffer.toString('hex'));
      const c = cursor(hex);
      expect(readVarlong(c)).toBe(n);
      expect(c.pos).toBe(c.end);
    }
  });

  it('refuses values beyond ±2^52 on write and read', () => {
    expect(() => writeVarlong(Buffer.alloc(10), 0, 2 ** 52)).toThrow(RangeError);
    // zigzag(2^53) as a varlong: beyond what a JS number holds exactly.
    const big = new Encoder().writeVarLong(2 ** 53).buffer.toString('hex');
    expect(() => readVarlong(cursor(big))).toThrow(CorruptBatchError);
    expect(() => readVarlong(cursor('ffffffffffffffffffff01'))).toThrow(/longer than 10 bytes/);
    expect(() => readVarlong(cursor('ff'))).toThrow(/truncated/);
  });
});
