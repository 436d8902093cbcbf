import { describe, expect, it } from 'vitest';
import { REDACTED, redact, scrub } from '../../../lib/observability/redact';

describe('redact', () => {
  it('replaces credential-named fields at any depth', () => {
    const out = redact({
      authorization: 'Basic dXNlcjpwYXNz',
      request: { headers: { 'x-amz-security-token': 'tok' }, Cookie: 'a=b', nested: { clientSecret: 's', password: 'p', apiKey: 'k' } },
      status: 200,
    });
    expect(out.authorization).toBe(REDACTED);
    expect(out.status).toBe(200);
    const request = out.request as Record<string, any>;
    expect(request.headers).toBe(REDACTED); // payload-named
    expect(request.Cookie).toBe(REDACTED);
    expect(request.nested).toEqual({ clientSecret: REDACTED, password: REDACTED, apiKey: REDACTED });
  });

  it('replaces payload-named fields: record keys, values, headers, bodies', () => {
    const out = redact({ key: 'user-1', value: 'card 4111', records: [{ value: 'x' }], body: '{}', topic: 'orders' });
    expect(out).toEqual({ key: REDACTED, value: REDACTED, records: REDACTED, body: REDACTED, topic: 'orders' });
  });

  it('scrubs credential shapes from free text', () => {
    const text = scrub(
      'failed: Authorization: Basic YWxpY2U6czNjcjN0 and AWS4-HMAC-SHA256 Credential=AKIAABCDEFGHIJKLMNOP/20240101/us-east-1/execute-api/aws4_request, Signature=abc123',
    );
    expect(text).not.toContain('YWxpY2U6czNjcjN0');
    expect(text).not.toContain('AKIAABCDEFGHIJKLMNOP');
    expect(text).not.toContain('abc123');
    expect(text).toContain('failed: Authorization: Basic [redacted]');
    expect(scrub('url?X-Amz-Signature=deadbeef&X-Amz-Credential=ASIAABCDEFGHIJKLMNOP%2F')).toBe('url?X-Amz-Signature=[redacted]&X-Amz-Credential=[redacted]');
    expect(scrub('Bearer eyJhbGciOi.abc.def')).toBe('Bearer [redacted]');
  });

  it('keeps Errors readable but scrubbed', () => {
    const err = new Error('bad header Basic c2VjcmV0OnNlY3JldA==');
    const out = redact({ error: err }).error as Record<string, unknown>;
    expect(out.name).toBe('Error');
    expect(out.message).toBe('bad header Basic [redacted]');
    expect(String(out.stack)).not.toContain('c2VjcmV0OnNlY3JldA==');
  });

  it('bounds what it copies: long strings, long arrays, deep objects, buffers', () => {
    const out = redact({ s: 'x'.repeat(5_000), list: Array.from({ length: 50 }, (_, i) => i), buf: Buffer.from('secret') });
    expect((out.s as string).length).toBeLessThan(2_100);
    expect((out.list as unknown[]).length).toBe(21);
    expect(out.buf).toBe('[6 bytes]');
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 10; i++) deep = { d: deep };
    expect(JSON.stringify(redact(deep))).toContain('[truncated]');
  });
});
