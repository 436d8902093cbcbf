/**
 * Zstandard for Kafka batches (a standard zstd frame; Kafka's default level 3).
 *
 * Node.js ≥ 22.15 (and so AWS Lambda's nodejs22.x) has zstd in node:zlib: that is used whenever
 * it is there. On older Node.js (20, which the local stack and CI may run) two packages stand in,
 * each loaded only when first needed:
 *   - compression: `@bokuweb/zstd-wasm` (the reference C library compiled to WASM);
 *   - decompression: `fzstd` (pure JS). It streams, so it reads frames that do not declare their
 *     content size, as Java's zstd-jni `ZstdOutputStream` writes them; the WASM package's simple
 *     API would need that size.
 */
import zlib from 'node:zlib';

type Callback = (err: Error | null, result: Buffer) => void;

/** The zstd half of node:zlib (Node ≥ 22.15), typed here because @types/node 20 lacks it. */
interface BuiltinZstd {
  zstdCompress(buf: Buffer, cb: Callback): void;
  zstdDecompress(buf: Buffer, cb: Callback): void;
}

interface ZstdWasm {
  init(): Promise<void>;
  compress(buf: Uint8Array, level?: number): Uint8Array;
}

interface Fzstd {
  decompress(dat: Uint8Array): Uint8Array;
}

export type ZstdBackend = 'builtin' | 'fallback';

const builtin = zlib as unknown as Partial<BuiltinZstd>;

/** True when node:zlib has zstd (Node.js ≥ 22.15). */
export const ZSTD_BUILTIN_AVAILABLE =
  typeof builtin.zstdCompress === 'function' && typeof builtin.zstdDecompress === 'function';

const DEFAULT_BACKEND: ZstdBackend = ZSTD_BUILTIN_AVAILABLE ? 'builtin' : 'fallback';
const LEVEL = 3;

let wasm: Promise<ZstdWasm> | undefined;
let fzstd: Promise<Fzstd> | undefined;

function interop<T>(mod: unknown): T {
  const m = mod as T & { default?: T };
  return m.default ?? m;
}

function zstdWasm(): Promise<ZstdWasm> {
  wasm ??= import('@bokuweb/zstd-wasm').then(async (mod) => {
    const api = interop<ZstdWasm>(mod);
    await api.init();
    return api;
  });
  return wasm;
}

function fzstdModule(): Promise<Fzstd> {
  fzstd ??= import('fzstd').then((mod) => interop<Fzstd>(mod));
  return fzstd;
}

function callBuiltin(fn: 'zstdCompress' | 'zstdDecompress', data: Buffer): Promise<Buffer> {
  const f = builtin[fn];
  if (!f) throw new Error(`zstd: node:zlib.${fn} is not available on Node.js ${process.versions.node}`);
  return new Promise((resolve, reject) => {
    f.call(zlib, data, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function toBuffer(u: Uint8Array): Buffer {
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

export async function zstdCompress(data: Buffer, backend: ZstdBackend = DEFAULT_BACKEND): Promise<Buffer> {
  if (backend === 'builtin') return callBuiltin('zstdCompress', data);
  const api = await zstdWasm();
  return toBuffer(api.compress(data, LEVEL));
}

export async function zstdDecompress(data: Buffer, backend: ZstdBackend = DEFAULT_BACKEND): Promise<Buffer> {
  if (backend === 'builtin') return callBuiltin('zstdDecompress', data);
  const api = await fzstdModule();
  return toBuffer(api.decompress(data));
}
