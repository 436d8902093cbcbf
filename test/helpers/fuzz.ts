/**
 * Seeded randomness for input fuzzing: a small PRNG (mulberry32) so a failing run reproduces from
 * its printed seed, and generators of hostile values — numbers JSON cannot hold, NaN-like strings,
 * prototype-pollution keys, odd unicode.
 *
 * @example
 * const r = prng(seedFromEnv());
 * const body = JSON.stringify(r.json(3));
 */

export interface Prng {
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  bytes(n: number): Buffer;
  /** A random JSON value nesting at most `depth` levels, whose objects use only FUZZ_KEYS. */
  json(depth: number): unknown;
}

/** STREAMBED_FUZZ_SEED, or a fresh random seed. */
export function seedFromEnv(): number {
  const raw = process.env.STREAMBED_FUZZ_SEED;
  return raw !== undefined && raw !== '' ? Number(raw) >>> 0 : Math.floor(Math.random() * 2 ** 32);
}

export const NUMBERS: readonly number[] = [0, -0, -1, 1.5, -2.5, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 1e-300, 2 ** 31, 2 ** 63];

/** Number literals as JSON text that JavaScript cannot represent faithfully. */
export const NUMBER_LITERALS: readonly string[] = ['1e999', '-1e999', `1${'0'.repeat(400)}`, '-0', '-1E+2', '0.0000000000000000000000001', '123456789012345678901234567890'];

export const STRINGS: readonly string[] = [
  'NaN',
  'Infinity',
  '-Infinity',
  'undefined',
  'null',
  'true',
  '0x10',
  '1e3',
  '',
  ' ',
  '__proto__',
  'constructor',
  '../..',
  '%00',
  '\u0000',
  '\ud800',
  'ø',
  '🔥',
  '\u202e',
  'a'.repeat(300),
];

/** Object keys for random JSON: pollution attempts and odd names, never a field a request requires. */
export const FUZZ_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'x', '', ' ', 'ø', '🔥', 'partition', 'key', 'value', 'encoding', 'config'];

export function prng(seed: number): Prng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  const str = (): string => (next() < 0.6 ? pick(STRINGS) : String.fromCodePoint(...Array.from({ length: int(12) }, () => int(0x2ffff))));
  const json = (depth: number): unknown => {
    switch (int(depth > 0 ? 7 : 5)) {
      case 0:
        return null;
      case 1:
        return next() < 0.5;
      case 2:
        return pick(NUMBERS);
      case 3:
      case 4:
        return str();
      case 5:
        return Array.from({ length: int(4) }, () => json(depth - 1));
      default: {
        const o: Record<string, unknown> = {};
        // defineProperty: a "__proto__" key must become an own property, as JSON.parse makes it.
        for (let i = int(4); i > 0; i--) Object.defineProperty(o, pick(FUZZ_KEYS), { value: json(depth - 1), enumerable: true, configurable: true, writable: true });
        return o;
      }
    }
  };
  return { seed, next, int, pick, bytes: (n) => Buffer.from(Array.from({ length: n }, () => int(256))), json };
}
