/**
 * DynamoDB's item size, computed the way DynamoDB bills it: attribute names count in full (map
 * keys too), strings as UTF-8 bytes, numbers as about one byte per two significant digits plus
 * one, booleans and nulls one byte, lists and maps 3 bytes plus one byte per element. Writes cost
 * one write unit per started KB of the whole item (an UpdateItem that touches one attribute of a
 * 3.2 KB item costs 4), consistent reads one read unit per started 4 KB.
 */

export function itemBytes(item: Readonly<Record<string, unknown>>): number {
  let total = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    total += Buffer.byteLength(name) + valueBytes(value);
  }
  return total;
}

function valueBytes(value: unknown): number {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return numberBytes(value);
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + valueBytes(v), 0);
  if (typeof value === 'object') {
    let total = 3;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      total += 1 + Buffer.byteLength(k) + valueBytes(v);
    }
    return total;
  }
  return Buffer.byteLength(String(value));
}

function numberBytes(n: number): number {
  const digits = Math.abs(n).toString().replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.min(21, Math.ceil(Math.max(1, digits.length) / 2) + 1);
}

/** Write units of one write of an item of `bytes`. */
export function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}

/** Read units of one strongly consistent read of an item of `bytes` (half for an eventually consistent one). */
export function readUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 4096));
}
