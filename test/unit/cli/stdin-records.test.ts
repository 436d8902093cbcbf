import { describe, expect, it } from 'vitest';
import { CliFailure } from '../../../lib/cli/errors';
import { LatencySamples } from '../../../lib/cli/latency-stats';
import { configEntry, unescapeSeparator } from '../../../lib/cli/options';
import { parseLine } from '../../../lib/cli/stdin-records';

describe('parseLine', () => {
  it('takes the whole line as the value, skipping empty lines and a trailing CR', () => {
    expect(parseLine('hello world', 1, { kind: 'value' })).toEqual({ value: 'hello world' });
    expect(parseLine('crlf\r', 1, { kind: 'value' })).toEqual({ value: 'crlf' });
    expect(parseLine('', 1, { kind: 'value' })).toBeUndefined();
  });

  it('splits key<sep>value at the first separator only', () => {
    expect(parseLine('k\tv\tw', 1, { kind: 'keyed', separator: '\t' })).toEqual({ key: 'k', value: 'v\tw' });
    expect(parseLine('k::', 1, { kind: 'keyed', separator: '::' })).toEqual({ key: 'k', value: '' });
    expect(() => parseLine('no-sep', 7, { kind: 'keyed', separator: '\t' })).toThrow(/line 7 has no key separator/);
  });

  it('reads JSON records: non-string values as JSON text, headers as an object or a list', () => {
    expect(parseLine('{"key":"k","value":{"a":1},"partition":2,"timestamp":5,"headers":{"h":"v","n":["1","2"]}}', 1, { kind: 'json' })).toEqual({
      key: 'k',
      value: '{"a":1}',
      partition: 2,
      timestamp: 5,
      headers: { h: 'v', n: ['1', '2'] },
    });
    expect(parseLine('{"value":null,"headers":[{"key":"h","value":"x"},{"key":"h","value":"y"}]}', 1, { kind: 'json' })).toEqual({ value: null, headers: { h: ['x', 'y'] } });
    for (const bad of ['{oops', '[1]', '{"value":"v","partition":-1}', '{"value":"v","headers":3}', '{"value":"v","timestamp":"soon"}']) {
      expect(() => parseLine(bad, 3, { kind: 'json' }), bad).toThrow(CliFailure);
    }
  });
});

describe('option parsers', () => {
  it('turns typed escapes into separators and key=value into config entries', () => {
    expect(unescapeSeparator('\\t')).toBe('\t');
    expect(unescapeSeparator('::')).toBe('::');
    expect(() => unescapeSeparator('')).toThrow();
    expect(configEntry('retention.ms=1000', configEntry('compression.type=zstd'))).toEqual({ 'compression.type': 'zstd', 'retention.ms': 1000 });
    expect(configEntry('retention.ms=-1')).toEqual({ 'retention.ms': -1 });
    expect(() => configEntry('novalue')).toThrow();
  });
});

describe('LatencySamples', () => {
  it('reports nearest-rank percentiles', () => {
    const s = new LatencySamples();
    for (let i = 100; i >= 1; i--) s.add(i);
    expect(s.summary()).toEqual({ count: 100, avgMs: 50.5, p50Ms: 50, p95Ms: 95, p99Ms: 99, maxMs: 100 });
    expect(new LatencySamples().summary()).toMatchObject({ count: 0, p99Ms: 0 });
  });
});
