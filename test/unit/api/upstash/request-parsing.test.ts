import { describe, expect, it } from 'vitest';
import { StreambedError } from '../../../../lib/errors';
import type { ApiRequest } from '../../../../lib/api/http';
import { ROUTES } from '../../../../lib/api/routes';
import { settingsFromHeaders } from '../../../../lib/api/upstash/instance';
import { upstashTopicsOf } from '../../../../lib/api/upstash/topics-of';

describe('consumer instance settings from Kafka-* headers', () => {
  it("has Upstash's defaults", () => {
    expect(settingsFromHeaders({})).toEqual({ autoCommit: true, autoCommitIntervalMs: 5000, autoOffsetReset: 'latest', sessionTimeoutMs: 120_000 });
  });

  it('reads each header (names lower-cased by the adapters)', () => {
    expect(
      settingsFromHeaders({
        'kafka-enable-auto-commit': 'FALSE',
        'kafka-auto-commit-interval': '3000',
        'kafka-auto-offset-reset': 'earliest',
        'kafka-session-timeout-ms': '60000',
      }),
    ).toEqual({ autoCommit: false, autoCommitIntervalMs: 3000, autoOffsetReset: 'earliest', sessionTimeoutMs: 60_000 });
  });

  it.each([
    ['kafka-enable-auto-commit', 'yes'],
    ['kafka-auto-commit-interval', '-1'],
    ['kafka-auto-commit-interval', '1.5'],
    ['kafka-auto-offset-reset', 'smallest'],
    ['kafka-session-timeout-ms', '100'],
  ])('refuses %s: %s with a 400 that names the header', (name, value) => {
    let err: unknown;
    try {
      settingsFromHeaders({ [name]: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StreambedError);
    expect((err as StreambedError).status).toBe(400);
    expect((err as StreambedError).message.toLowerCase()).toContain(name.toLowerCase());
  });
});

describe('topics an Upstash request names (for the ACL)', () => {
  const request = (path: string, pathParameters: Record<string, string>, body: unknown): ApiRequest => ({
    route: ROUTES.find((r) => r.path === path && r.method === 'POST')!,
    pathParameters,
    query: {},
    headers: {},
    body: body === undefined ? Buffer.alloc(0) : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  });

  it('reads the path, messages, topics and topicPartitionOffsets', () => {
    expect(upstashTopicsOf(request('/produce/{topic}', { topic: 'a' }, [{ value: 'x' }]))).toEqual(['a']);
    expect(upstashTopicsOf(request('/produce', {}, [{ topic: 'a', value: 1 }, { topic: 'b', value: 2 }, { topic: 'a', value: 3 }]))).toEqual(['a', 'b']);
    expect(upstashTopicsOf(request('/consume/{group}/{instance}', { group: 'g', instance: 'i' }, { topics: ['c', 'd'] }))).toEqual(['c', 'd']);
    expect(upstashTopicsOf(request('/fetch', {}, { topic: 'e', partition: 0, offset: 0, topicPartitionOffsets: [{ topic: 'f', partition: 0, offset: 0 }] }))).toEqual(['e', 'f']);
    expect(upstashTopicsOf(request('/commit/{group}/{instance}', { group: 'g', instance: 'i' }, { topic: 'g1', partition: 0, offset: 1 }))).toEqual(['g1']);
  });

  it('names nothing for an empty or unparsable body', () => {
    expect(upstashTopicsOf(request('/commit/{group}/{instance}', { group: 'g', instance: 'i' }, undefined))).toEqual([]);
    expect(upstashTopicsOf(request('/produce', {}, '{nope'))).toEqual([]);
  });
});
