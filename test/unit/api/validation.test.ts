import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeField, encodeField } from '../../../lib/api/encoding';
import type { ApiRequest } from '../../../lib/api/http';
import { ROUTES } from '../../../lib/api/routes';
import { jsonBody, parseWith, pathPartition, queryInteger } from '../../../lib/api/validation';
import { StreambedError } from '../../../lib/errors';
import { resolveTopicConfig, validateTopicName } from '../../../lib/log/topics';

function req(partial: Partial<ApiRequest>): ApiRequest {
  return { route: ROUTES[0], pathParameters: {}, query: {}, headers: {}, body: Buffer.alloc(0), ...partial };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof StreambedError) return e.code;
    throw e;
  }
  return undefined;
}

describe('request validation', () => {
  it('parses strict UTF-8 JSON bodies', () => {
    expect(jsonBody(req({ body: Buffer.from('{"a":[1]}') }))).toEqual({ a: [1] });
    expect(codeOf(() => jsonBody(req({ body: Buffer.from([0x22, 0xc3, 0x28, 0x22]) })))).toBe('INVALID_REQUEST');
    expect(codeOf(() => jsonBody(req({ body: Buffer.from('{') })))).toBe('INVALID_REQUEST');
    expect(codeOf(() => jsonBody(req({})))).toBe('INVALID_REQUEST');
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(codeOf(() => jsonBody(req({ body: Buffer.from(deep) })))).toBeOneOf([undefined, 'INVALID_REQUEST']);
  });

  it('names the failing field in zod messages', () => {
    const schema = z.object({ records: z.array(z.object({ value: z.string({ error: 'value must be a string' }) })) });
    try {
      parseWith(schema, { records: [{ value: 'a' }, { value: 1 }] });
      expect.unreachable();
    } catch (e) {
      expect((e as StreambedError).message).toBe('records[1].value: value must be a string');
    }
  });

  it('reads integer query parameters with defaults, minimums and caps', () => {
    const r = req({ query: { a: '5', big: '99999', neg: '-1', frac: '1.5', word: 'x' } });
    expect(queryInteger(r, 'a', { min: 0 })).toBe(5);
    expect(queryInteger(r, 'missing', { min: 0, fallback: 7 })).toBe(7);
    expect(queryInteger(r, 'big', { min: 1, max: 10000 })).toBe(10000);
    expect(codeOf(() => queryInteger(r, 'neg', { min: 0, code: 'INVALID_OFFSET' }))).toBe('INVALID_OFFSET');
    expect(codeOf(() => queryInteger(r, 'frac', { min: 0, code: 'INVALID_OFFSET' }))).toBe('INVALID_OFFSET');
    expect(codeOf(() => queryInteger(r, 'word', { min: 0 }))).toBe('INVALID_REQUEST');
    expect(codeOf(() => queryInteger(r, 'missing', { min: 0, code: 'INVALID_OFFSET' }))).toBe('INVALID_OFFSET');
  });

  it('accepts only non-negative integer partitions in paths', () => {
    expect(pathPartition(req({ pathParameters: { partition: '12' } }))).toBe(12);
    for (const bad of ['-1', '1.0', 'one', '', '99999999999999999999']) {
      expect(codeOf(() => pathPartition(req({ pathParameters: { partition: bad } })))).toBe('INVALID_REQUEST');
    }
  });

  it('decodes base64 strictly and round-trips both encodings', () => {
    expect(decodeField('AAE=', 'base64', 'v')).toEqual(Buffer.from([0, 1]));
    expect(codeOf(() => decodeField('AAE', 'base64', 'v'))).toBe('INVALID_REQUEST');
    expect(codeOf(() => decodeField('a b=', 'base64', 'v'))).toBe('INVALID_REQUEST');
    expect(encodeField(Buffer.from('héllo'), 'utf8')).toBe('héllo');
    expect(encodeField(Buffer.from([255]), 'base64')).toBe('/w==');
    expect(encodeField(null, 'utf8')).toBeNull();
  });
});

describe('topic names and configs', () => {
  it('follows Kafka naming rules', () => {
    for (const ok of ['a', 'A.b_c-9', 'x'.repeat(249), '...']) expect(() => validateTopicName(ok)).not.toThrow();
    for (const bad of ['', '.', '..', 'x'.repeat(250), 'a b', 'a/b', 'ä']) expect(codeOf(() => validateTopicName(bad))).toBe('INVALID_TOPIC');
  });

  it('fills defaults and refuses unknown keys and bad values with INVALID_CONFIG', () => {
    expect(resolveTopicConfig(undefined)).toEqual({
      'retention.ms': 604800000,
      'retention.bytes': -1,
      'max.message.bytes': 1048576,
      'compression.type': 'none',
    });
    expect(resolveTopicConfig({ 'retention.ms': -1, 'retention.bytes': '1024' })).toMatchObject({ 'retention.ms': -1, 'retention.bytes': 1024 });
    for (const bad of [{ x: 1 }, { 'retention.ms': -2 }, { 'retention.ms': 1.5 }, { 'max.message.bytes': -1 }, { 'compression.type': 'GZIP' }]) {
      expect(codeOf(() => resolveTopicConfig(bad))).toBe('INVALID_CONFIG');
    }
  });
});
