/** Error responses: any thrown value → the status, headers and code of lib/errors.ts. */
import { StreambedError, isStreambedError } from '../errors';
import { telemetry } from '../observability';
import type { ApiResponse } from './http';

/**
 * Any thrown value as a StreambedError plus the headers its response carries. A failure we do not
 * know is logged whole (redacted) and becomes 503 UNAVAILABLE: the caller learns only that it may
 * retry. Shared by both error body shapes (this API's and the Upstash-compatible one).
 */
export function normalizeError(err: unknown): { error: StreambedError; headers: Record<string, string> } {
  let e: StreambedError;
  if (isStreambedError(err)) {
    e = err;
  } else {
    telemetry().logger.error('unexpected error', { error: err instanceof Error ? err : String(err) });
    e = new StreambedError('UNAVAILABLE', 'internal error; safe to retry', { cause: err });
  }
  const headers: Record<string, string> = {};
  if (e.retryAfterSeconds !== undefined) headers['retry-after'] = String(e.retryAfterSeconds);
  return { error: e, headers };
}

/** The contract's error body for any thrown value; unknown failures are 503 UNAVAILABLE. */
export function errorResponse(err: unknown): ApiResponse {
  const { error, headers } = normalizeError(err);
  return { status: error.status, headers, body: error.toBody() };
}
