import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultPartition, murmur2, toPositive } from '../../../lib/protocol';
import { kafkaMurmur2 } from './kafkajs';

const key = (s: string) => Buffer.from(s, 'utf8');

describe('murmur2 (Kafka Utils.murmur2)', () => {
  // kafkajs src/producer/partitioners/default/murmur2.spec.js, "Generated with .../Test.java"
  // (Kafka's own Utils.murmur2).
  const JAVA_VECTORS: Record<string, number> = {
    '0': 971027396,
    '1': -1993445489,
    '128': -326012175,
    '2187': -1508407203,
    '16384': -325739742,
    '78125': -1654490814,
    '279936': 1462227128,
    '823543': -2014198330,
    '2097152': 607668903,
    '4782969': -1182699775,
    '10000000': -1830336757,
    '19487171': -1603849305,
    '35831808': -857013643,
    '62748517': -1167431028,
    '105413504': -381294639,
    '170859375': -1658323481,
    '100:48069': 1009543857,
  };

  it("gives kafkajs's published (Java-generated) signed int32 vectors", () => {
    for (const [k, hash] of Object.entries(JAVA_VECTORS)) expect(murmur2(key(k)), k).toBe(hash);
  });

  it("is not kafkajs's legacy (pre-2.0, Java-incompatible) murmur2", () => {
    expect(murmur2(key('0'))).not.toBe(272173970);
    expect(murmur2(key('1'))).not.toBe(1311020360);
  });

  it('agrees with kafkajs on random keys of every tail length', () => {
    for (let len = 0; len < 64; len++) {
      for (let i = 0; i < 5; i++) {
        const k = randomBytes(len);
        expect(murmur2(k)).toBe(kafkaMurmur2(k) | 0);
      }
    }
  });
});

describe('defaultPartition', () => {
  it('picks the partitions Java clients pick', () => {
    expect(defaultPartition(key('100:48069'), 12)).toBe(9);
    expect(defaultPartition(key('wu'), 10)).toBe(0);
    expect(defaultPartition(key('fd7af248-ce5c-46a5-93d7-1c0c9005b99d'), 32)).toBe(26);
  });

  it('uses & 0x7fffffff, not Math.abs', () => {
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(5)).toBe(5);
    // "1" hashes to -1993445489: Math.abs would give 1993445489, Kafka's mask gives 154038159.
    expect(toPositive(murmur2(key('1')))).toBe(154038159);
    expect(defaultPartition(key('1'), 7)).toBe(154038159 % 7);
    expect(defaultPartition(key('1'), 7)).not.toBe(1993445489 % 7);
  });

  it('refuses a partition count that is not a positive integer', () => {
    expect(() => defaultPartition(key('a'), 0)).toThrow(RangeError);
    expect(() => defaultPartition(key('a'), 2.5)).toThrow(RangeError);
  });
});
