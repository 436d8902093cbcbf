/**
 * Types for lz4js's xxHash32 module (`lz4js/xxh32.js`, pinned by package-lock; the package has
 * been at 0.2.0 since 2017). @types/lz4js types only the package root.
 */
declare module 'lz4js/xxh32.js' {
  const xxh32: {
    /** xxHash32 of `src[index, index + len)` with `seed`, as an unsigned 32-bit integer. */
    hash(seed: number, src: Uint8Array, index: number, len: number): number;
  };
  export = xxh32;
}
