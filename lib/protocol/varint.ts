/**
 * Zigzag varints as Kafka's record format uses them (protobuf's encoding; Java's
 * `ByteUtils.writeVarint` / `writeVarlong`):
 *
 *   varint  => int32, zigzag-mapped ((n << 1) ^ (n >> 31)), then 7 bits a byte, least significant
 *              group first, high bit set on every byte but the last; at most 5 bytes
 *   varlong => int64, the same with (n << 1) ^ (n >> 63); at most 10 bytes
 *
 * Varlongs are JS numbers here (timestamp deltas): values are limited to ±2^52, so that the
 * zigzag-mapped value stays a safe integer. Anything outside is a RangeError on write and a
 * CorruptBatchError on read.
 */
import { CorruptBatchError } from './errors';

/** A read position in a buffer; `end` is exclusive. Readers advance `pos`. */
export interface Cursor {
  buf: Buffer;
  pos: number;
  end: number;
}

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const VARLONG_MAX = 2 ** 52 - 1;
const VARLONG_MIN = -(2 ** 52);

function zigzag32(n: number): number {
  return ((n << 1) ^ (n >> 31)) >>> 0;
}

export function sizeOfVarint(n: number): number {
  let v = zigzag32(n);
  let size = 1;
  while (v >= 0x80) {
    v >>>= 7;
    size++;
  }
  return size;
}

/** Writes `n` (an int32) at `pos`; returns the position after it. */
export function writeVarint(buf: Buffer, pos: number, n: number): number {
  if (!Number.isInteger(n) || n < INT32_MIN || n > INT32_MAX) {
    throw new RangeError(`varint out of int32 range: ${n}`);
  }
  let v = zigzag32(n);
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

export function readVarint(c: Cursor): number {
  let result = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (c.pos >= c.end) throw new CorruptBatchError('truncated varint');
    const b = c.buf[c.pos++];
    result |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) {
      const v = result >>> 0;
      return (v >>> 1) ^ -(v & 1);
    }
  }
  throw new CorruptBatchError('varint longer than 5 bytes');
}

function zigzag64(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

export function sizeOfVarlong(n: number): number {
  let v = zigzag64(n);
  let size = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    size++;
  }
  return size;
}

/** Writes `n` (an integer within ±2^52) at `pos`; returns the position after it. */
export function writeVarlong(buf: Buffer, pos: number, n: number): number {
  if (!Number.isInteger(n) || n < VARLONG_MIN || n > VARLONG_MAX) {
    throw new RangeError(`varlong out of supported range (±2^52): ${n}`);
  }
  let v = zigzag64(n);
  while (v >= 0x80) {
    buf[pos++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  buf[pos++] = v;
  return pos;
}

export function readVarlong(c: Cursor): number {
  let result = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (c.pos >= c.end) throw new CorruptBatchError('truncated varlong');
    const b = c.buf[c.pos++];
    result += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) {
      if (result > Number.MAX_SAFE_INTEGER) {
        throw new CorruptBatchError('varlong beyond the supported range (±2^52)');
      }
      return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
    }
    scale *= 0x80;
  }
  throw new CorruptBatchError('varlong longer than 10 bytes');
}
