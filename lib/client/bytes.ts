/**
 * Bytes ↔ strings without Node's Buffer where it is missing (browsers, edge runtimes): keys,
 * values and header values travel as UTF-8 text or base64 (API.md `encoding`). On Node the Buffer
 * fast paths are used, and decoded bytes are Buffers (so `message.value.toString()` is UTF-8 text,
 * as with kafkajs).
 */

/** What a producer may send as a key, value or header value. */
export type BytesLike = string | Uint8Array;

interface BufferLike {
  from(data: string, encoding: 'base64' | 'utf8'): Uint8Array;
  from(data: Uint8Array): Uint8Array & { toString(encoding: 'base64' | 'utf8'): string };
  from(data: ArrayBufferLike, byteOffset: number, length: number): Uint8Array & { toString(encoding: 'base64' | 'utf8'): string };
  byteLength(data: string, encoding: 'utf8'): number;
}

/** Node's Buffer when the runtime has it. */
const NodeBuffer: BufferLike | undefined = (globalThis as { Buffer?: BufferLike }).Buffer;
const encoder = new TextEncoder();

export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

export function utf8Length(text: string): number {
  return NodeBuffer ? NodeBuffer.byteLength(text, 'utf8') : encoder.encode(text).length;
}

export function toBase64(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Decoded bytes: a Buffer on Node, a Uint8Array elsewhere. */
export function fromBase64(text: string): Uint8Array {
  if (NodeBuffer) return NodeBuffer.from(text, 'base64');
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** The bytes of a key or value, for partitioning. */
export function bytesOf(value: BytesLike): Uint8Array {
  return typeof value === 'string' ? utf8Bytes(value) : value;
}

/** Size in bytes of a key or value (strings as UTF-8). */
export function byteLength(value: BytesLike | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? utf8Length(value) : value.byteLength;
}
