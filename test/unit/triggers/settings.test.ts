/** Trigger settings: defaults, limits, and messages that name the field. */
import { describe, expect, it } from 'vitest';
import { buildEvent, parseTriggerList, parseTriggerSettings } from '../../../lib/triggers';

describe('trigger settings', () => {
  it('fills in the documented defaults', () => {
    expect(parseTriggerSettings({ name: 'a', topic: 't' })).toEqual({
      name: 'a',
      topic: 't',
      batchSize: 100,
      maximumBatchingWindowMs: 500,
      startingPosition: 'LATEST',
      maximumRetryAttempts: -1,
      maximumRecordAgeSeconds: -1,
      bisectBatchOnFunctionError: false,
      reportBatchItemFailures: false,
    });
  });

  it('refuses bad values and unknown keys with INVALID_CONFIG naming the field', () => {
    expect(() => parseTriggerSettings({ name: 'a', topic: 't', batchSize: 10_001 })).toThrow(/batchSize/);
    expect(() => parseTriggerSettings({ name: 'a', topic: 't', batchsize: 10 })).toThrow(/batchsize/);
    expect(() => parseTriggerSettings({ name: 'a b', topic: 't' })).toThrow(/name/);
    expect(() => parseTriggerSettings({ name: 'a', topic: 't', startingPosition: 'AT_TIMESTAMP' })).toThrow(/startingPositionTimestamp/);
    expect(() => parseTriggerSettings({ name: 'a', topic: 't', maximumRetryAttempts: -2 })).toThrow(/maximumRetryAttempts/);
    expect(() => parseTriggerList([{ name: 'a', topic: 't' }, { name: 'a', topic: 'u' }])).toThrow(/appears twice/);
  });
});

describe('event shape', () => {
  it('base64-encodes key and value, leaves out a null key, and lists headers as byte arrays', () => {
    const event = buildEvent('http://x', 'orders', 2, [
      { offset: 15, timestamp: 1, key: Buffer.from('k'), value: Buffer.from('v'), headers: [{ key: 'h', value: Buffer.from('v') }] },
      { offset: 16, timestamp: 2, key: null, value: Buffer.from('w'), headers: [] },
    ]);
    expect(event).toEqual({
      eventSource: 'SelfManagedKafka',
      bootstrapServers: 'http://x',
      records: {
        'orders-2': [
          { topic: 'orders', partition: 2, offset: 15, timestamp: 1, timestampType: 'CREATE_TIME', key: 'aw==', value: 'dg==', headers: [{ h: [118] }] },
          { topic: 'orders', partition: 2, offset: 16, timestamp: 2, timestampType: 'CREATE_TIME', value: 'dw==', headers: [] },
        ],
      },
    });
  });
});
