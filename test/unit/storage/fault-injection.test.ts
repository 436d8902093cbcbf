/** The STREAMBED_FAULTS grammar (lib/storage/fault-injection.ts). */
import { describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../lib/storage/fault-injection';

describe('STREAMBED_FAULTS', () => {
  it('parses every kind, with delays and probabilities', () => {
    expect(parseFaultSpec('s3:PutObject:error:0.1, dynamodb:UpdateItem:latency:200ms:0.2,*:*:timeout:50-100:1,dynamodb:GetItem:lost:0')).toEqual([
      { service: 's3', operation: 'PutObject', kind: 'error', delayMs: undefined, probability: 0.1 },
      { service: 'dynamodb', operation: 'UpdateItem', kind: 'latency', delayMs: [200, 200], probability: 0.2 },
      { service: '*', operation: '*', kind: 'timeout', delayMs: [50, 100], probability: 1 },
      { service: 'dynamodb', operation: 'GetItem', kind: 'lost', delayMs: undefined, probability: 0 },
    ]);
  });

  it('is empty when unset', () => {
    expect(parseFaultSpec(undefined)).toEqual([]);
    expect(parseFaultSpec(' , ')).toEqual([]);
  });

  it.each([
    ['sqs:SendMessage:error:0.1', 'unknown service'],
    ['s3:PutObject:explode:0.1', 'unknown kind'],
    ['s3:PutObject:error:1.5', 'probability'],
    ['s3:PutObject:latency:0.1', 'latency needs a delay'],
    ['s3:PutObject:latency:fast:0.1', 'is not <ms> or <min>-<max>'],
    ['s3:PutObject:latency:300-100:0.1', 'max is below min'],
    ['s3::error:0.1', 'missing operation'],
    ['s3:PutObject:error:200:0.1', 'wrong number of fields'],
  ])('refuses %s, saying what is wrong', (spec, why) => {
    expect(() => parseFaultSpec(spec)).toThrow(why);
    expect(() => parseFaultSpec(spec)).toThrow(spec);
  });
});
