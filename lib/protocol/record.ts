/**
 * One record inside a RecordBatch v2 (Kafka's `DefaultRecord`):
 *
 *   Record =>
 *     length          varint   bytes after this field
 *     attributes      int8     unused, 0
 *     timestampDelta  varlong  timestamp - batch baseTimestamp (may be negative)
 *     offsetDelta     varint   offset - batch baseOffset
 *     keyLength       varint   -1 = null key
 *     key             bytes
 *     valueLength     varint   -1 = null value
 *     value           bytes
 *     headerCount     varint
 *     Header =>                (an ordered list; the same key may appear more than once)
 *       keyLength     varint
 *       key           UTF-8 string
 *       valueLength   varint   -1 = null value
 *       value         bytes
 */
import { CorruptBatchError } from './errors';
import { type Cursor, readVarint, readVarlong, sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint';

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface RecordInput {
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  /** Epoch milliseconds. */
  timestamp: number;
}

export interface DecodedRecord extends RecordInput {
  /** Absolute offset: the batch's baseOffset + the record's offsetDelta. */
  offset: number;
}

function checkBytes(b: Buffer | null, what: string): void {
  if (b !== null && !Buffer.isBuffer(b)) throw new TypeError(`${what} must be a Buffer or null`);
}

function sizeOfNullableBytes(b: Buffer | null): number {
  return b === null ? 1 : sizeOfVarint(b.length) + b.length;
}

/** Checks a record's shape, so that a bad one fails with a TypeError before any byte is written. */
export function validateRecord(r: RecordInput, index: number): void {
  if (!Number.isSafeInteger(r.timestamp)) throw new TypeError(`record ${index}: timestamp must be an integer (epoch ms)`);
  checkBytes(r.key, `record ${index}: key`);
  checkBytes(r.value, `record ${index}: value`);
  if (!Array.isArray(r.headers)) throw new TypeError(`record ${index}: headers must be an array`);
  for (const h of r.headers) {
    if (typeof h.key !== 'string') throw new TypeError(`record ${index}: header keys must be strings`);
    checkBytes(h.value, `record ${index}: header ${JSON.stringify(h.key)} value`);
  }
}

/** Bytes of the record after its length prefix. */
export function recordBodySize(r: RecordInput, timestampDelta: number, offsetDelta: number): number {
  let size = 1 + sizeOfVarlong(timestampDelta) + sizeOfVarint(offsetDelta);
  size += sizeOfNullableBytes(r.key) + sizeOfNullableBytes(r.value);
  size += sizeOfVarint(r.headers.length);
  for (const h of r.headers) {
    const keyLength = Buffer.byteLength(h.key, 'utf8');
    size += sizeOfVarint(keyLength) + keyLength + sizeOfNullableBytes(h.value);
  }
  return size;
}

/** Bytes of the whole record, length prefix included. */
export function recordSize(r: RecordInput, timestampDelta: number, offsetDelta: number): number {
  const body = recordBodySize(r, timestampDelta, offsetDelta);
  return sizeOfVarint(body) + body;
}

function writeNullableBytes(buf: Buffer, pos: number, b: Buffer | null): number {
  if (b === null) return writeVarint(buf, pos, -1);
  pos = writeVarint(buf, pos, b.length);
  return pos + b.copy(buf, pos);
}

/** Writes the record at `pos` given its body size (from recordBodySize); returns the end position. */
export function writeRecord(
  buf: Buffer,
  pos: number,
  r: RecordInput,
  timestampDelta: number,
  offsetDelta: number,
  bodySize: number,
): number {
  pos = writeVarint(buf, pos, bodySize);
  buf[pos++] = 0; // attributes
  pos = writeVarlong(buf, pos, timestampDelta);
  pos = writeVarint(buf, pos, offsetDelta);
  pos = writeNullableBytes(buf, pos, r.key);
  pos = writeNullableBytes(buf, pos, r.value);
  pos = writeVarint(buf, pos, r.headers.length);
  for (const h of r.headers) {
    pos = writeVarint(buf, pos, Buffer.byteLength(h.key, 'utf8'));
    pos += buf.write(h.key, pos, 'utf8');
    pos = writeNullableBytes(buf, pos, h.value);
  }
  return pos;
}

/** Reads nullable bytes as a copy, so decoded records never alias the (possibly large) input. */
function readNullableBytes(c: Cursor, what: string): Buffer | null {
  const length = readVarint(c);
  if (length === -1) return null;
  if (length < 0 || length > c.end - c.pos) throw new CorruptBatchError(`bad ${what} length ${length}`);
  const b = Buffer.from(c.buf.subarray(c.pos, c.pos + length));
  c.pos += length;
  return b;
}

/**
 * Reads one record at `c.pos` and advances past it. `timestampOverride` (LogAppendTime batches)
 * replaces every record's own timestamp, as Kafka's reader does.
 */
export function readRecord(c: Cursor, baseOffset: number, baseTimestamp: number, timestampOverride?: number): DecodedRecord {
  const length = readVarint(c);
  if (length < 0 || length > c.end - c.pos) throw new CorruptBatchError(`bad record length ${length}`);
  const r: Cursor = { buf: c.buf, pos: c.pos, end: c.pos + length };
  if (length < 1) throw new CorruptBatchError('empty record');
  r.pos++; // attributes: unused
  const timestampDelta = readVarlong(r);
  const offsetDelta = readVarint(r);
  const key = readNullableBytes(r, 'key');
  const value = readNullableBytes(r, 'value');
  const headerCount = readVarint(r);
  // Each header takes at least two bytes; a larger count cannot be real.
  if (headerCount < 0 || headerCount * 2 > r.end - r.pos) throw new CorruptBatchError(`bad header count ${headerCount}`);
  const headers: RecordHeader[] = new Array(headerCount);
  for (let i = 0; i < headerCount; i++) {
    const keyLength = readVarint(r);
    if (keyLength < 0 || keyLength > r.end - r.pos) throw new CorruptBatchError(`bad header key length ${keyLength}`);
    const headerKey = r.buf.toString('utf8', r.pos, r.pos + keyLength);
    r.pos += keyLength;
    headers[i] = { key: headerKey, value: readNullableBytes(r, 'header value') };
  }
  if (r.pos !== r.end) throw new CorruptBatchError(`record declares ${length} bytes but its fields take ${r.pos - c.pos}`);
  c.pos = r.end;
  return {
    offset: baseOffset + offsetDelta,
    timestamp: timestampOverride ?? baseTimestamp + timestampDelta,
    key,
    value,
    headers,
  };
}
