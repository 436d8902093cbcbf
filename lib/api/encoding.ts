/** Keys, values and header values travel as UTF-8 text or base64 in JSON (the `encoding` field). */
import { StreambedError } from '../errors';
import type { Encoding } from './validation';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeField(value: string, encoding: Encoding, field: string): Buffer {
  if (encoding === 'utf8') return Buffer.from(value, 'utf8');
  if (!BASE64.test(value)) {
    throw new StreambedError('INVALID_REQUEST', `${field} is not valid base64 (encoding is "base64")`);
  }
  return Buffer.from(value, 'base64');
}

export function decodeNullable(value: string | null | undefined, encoding: Encoding, field: string): Buffer | null {
  return value === null || value === undefined ? null : decodeField(value, encoding, field);
}

export function encodeField(bytes: Buffer | null, encoding: Encoding): string | null {
  if (bytes === null) return null;
  return encoding === 'utf8' ? bytes.toString('utf8') : bytes.toString('base64');
}
