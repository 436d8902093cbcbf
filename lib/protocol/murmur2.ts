/**
 * Kafka's default partitioner for keyed records: `Utils.murmur2` of the key bytes (the Java
 * variant of MurmurHash2, seed 0x9747b28c), made positive with `& 0x7fffffff`, modulo the partition
 * count. A keyed record lands on the same partition as with any Kafka client (Java, librdkafka's
 * `murmur2_random`, kafkajs's DefaultPartitioner).
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

/** Kafka's `Utils.murmur2`: a signed 32-bit hash of `key`. */
export function murmur2(key: Uint8Array): number {
  const length = key.length;
  let h = SEED ^ length;
  const tail = length & ~3;

  for (let i = 0; i < tail; i += 4) {
    let k = key[i] | (key[i + 1] << 8) | (key[i + 2] << 16) | (key[i + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }

  const rest = length & 3;
  if (rest === 3) h ^= key[tail + 2] << 16;
  if (rest >= 2) h ^= key[tail + 1] << 8;
  if (rest >= 1) {
    h ^= key[tail];
    h = Math.imul(h, M);
  }

  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's `Utils.toPositive`: clears the sign bit (not `Math.abs`, which fails for -2^31). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** The partition Kafka's default partitioner picks for a record with this key. */
export function defaultPartition(key: Uint8Array, partitionCount: number): number {
  if (!Number.isInteger(partitionCount) || partitionCount < 1) {
    throw new RangeError(`partitionCount must be a positive integer, got ${partitionCount}`);
  }
  return toPositive(murmur2(key)) % partitionCount;
}
