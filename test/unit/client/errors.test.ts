import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, type ErrorCode } from '../../../lib/errors';
import { StreambedClientError, errorFromResponse, isClientErrorCode, parseRetryAfter } from '../../../lib/client/errors';

const body = (code: string, message = 'what to fix') => ({ error: { code, message } });

describe('client errors', () => {
  it('maps every API code to a typed error carrying the code and status', () => {
    for (const [code, status] of Object.entries(ERROR_STATUS) as [ErrorCode, number][]) {
      const err = errorFromResponse(status, body(code), null, 'GET /v1/x');
      expect(err).toBeInstanceOf(StreambedClientError);
      expect(err.code).toBe(code);
      expect(err.status).toBe(status);
      expect(err.message).toContain('what to fix');
      expect(isClientErrorCode(code)).toBe(true);
    }
  });

  it('retries only THROTTLED, UNAVAILABLE and failures without a response', () => {
    const retriable = (Object.keys(ERROR_STATUS) as ErrorCode[]).filter((c) => errorFromResponse(ERROR_STATUS[c], body(c), null, 'x').retriable);
    expect(retriable.sort()).toEqual(['THROTTLED', 'UNAVAILABLE']);
    expect(new StreambedClientError('NETWORK_ERROR', 'reset').retriable).toBe(true);
    expect(new StreambedClientError('TIMEOUT', 'slow').retriable).toBe(true);
  });

  it('never retries a code it does not know, whatever the status', () => {
    const err = errorFromResponse(503, body('SOMETHING_NEW'), null, 'POST /v1/x');
    expect(err.code).toBe('UNKNOWN');
    expect(err.retriable).toBe(false);
    expect(err.message).toContain('SOMETHING_NEW');
  });

  it("classifies API Gateway's own error bodies by status", () => {
    expect(errorFromResponse(403, { message: 'Forbidden' }, null, 'x')).toMatchObject({ code: 'FORBIDDEN', retriable: false });
    expect(errorFromResponse(429, { message: 'Too Many Requests' }, null, 'x')).toMatchObject({ code: 'THROTTLED', retriable: true });
    expect(errorFromResponse(504, { message: 'Endpoint request timed out' }, null, 'x')).toMatchObject({ code: 'UNAVAILABLE', retriable: true });
    expect(errorFromResponse(418, 'teapot', null, 'x')).toMatchObject({ code: 'UNKNOWN', retriable: false });
  });

  it('reads retry-after as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
    expect(errorFromResponse(429, body('THROTTLED'), '3', 'x').retryAfterMs).toBe(3000);
  });
});
