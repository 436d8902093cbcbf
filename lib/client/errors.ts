/**
 * The client's one error type. Every failure the SDK reports is a `StreambedClientError` with a
 * stable `code` (API.md's error codes, plus three the client itself detects), a `retriable` flag
 * that the retry helper looks at (and nothing else), the HTTP status when there was a response,
 * and the original `cause`.
 *
 * @example
 * try {
 *   await admin.createTopic({ topic: 'orders', numPartitions: 3 });
 * } catch (err) {
 *   if (err instanceof StreambedClientError && err.code === 'TOPIC_ALREADY_EXISTS') return;
 *   throw err;
 * }
 */
import type { ErrorCode } from '../errors';

/**
 * API.md's codes, plus:
 * - `NETWORK_ERROR`: no response (connection refused or reset, DNS, TLS); retriable.
 * - `TIMEOUT`: no response within the client's request timeout; retriable.
 * - `UNKNOWN`: a response the client cannot classify (a code it does not know, a non-JSON error
 *   body); never retriable, so a new server failure mode cannot turn into a retry storm.
 */
export type ClientErrorCode = ErrorCode | 'NETWORK_ERROR' | 'TIMEOUT' | 'UNKNOWN';

/**
 * Which codes a client may retry unchanged. Typed over every server code, so a code added to
 * lib/errors.ts does not compile until it is classified here.
 */
const RETRIABLE: Record<ClientErrorCode, boolean> = {
  INVALID_REQUEST: false,
  INVALID_TOPIC: false,
  INVALID_PARTITIONS: false,
  INVALID_CONFIG: false,
  INVALID_OFFSET: false,
  UNAUTHORIZED: false,
  FORBIDDEN: false,
  UNKNOWN_TOPIC_OR_PARTITION: false,
  UNKNOWN_MEMBER_ID: false,
  TOPIC_ALREADY_EXISTS: false,
  ILLEGAL_GENERATION: false,
  // The member must rejoin first: the consumer handles it, a blind retry of the same call would not help.
  REBALANCE_IN_PROGRESS: false,
  OUT_OF_ORDER_SEQUENCE: false,
  PRODUCER_FENCED: false,
  RECORD_TOO_LARGE: false,
  REQUEST_TOO_LARGE: false,
  OFFSET_OUT_OF_RANGE: false,
  THROTTLED: true,
  UNAVAILABLE: true,
  NETWORK_ERROR: true,
  TIMEOUT: true,
  UNKNOWN: false,
};

export function isClientErrorCode(code: unknown): code is ClientErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(RETRIABLE, code);
}

export interface StreambedClientErrorOptions {
  /** HTTP status of the response, when there was one. */
  readonly status?: number;
  /** From a `retry-after` header: how long the server asked the client to wait. */
  readonly retryAfterMs?: number;
  /** Overrides the code's default. */
  readonly retriable?: boolean;
  readonly cause?: unknown;
}

export class StreambedClientError extends Error {
  readonly code: ClientErrorCode;
  readonly retriable: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(code: ClientErrorCode, message: string, options: StreambedClientErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StreambedClientError';
    this.code = code;
    this.retriable = options.retriable ?? RETRIABLE[code];
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isStreambedClientError(err: unknown): err is StreambedClientError {
  return err instanceof StreambedClientError;
}

/** Codes for error responses whose body is not the contract's (API Gateway's own, a proxy's). */
function codeForStatus(status: number): ClientErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 413) return 'REQUEST_TOO_LARGE';
  if (status === 429) return 'THROTTLED';
  // API Gateway: 502 (bad integration response), 503, 504 (integration timeout).
  if (status === 502 || status === 503 || status === 504) return 'UNAVAILABLE';
  return 'UNKNOWN';
}

/**
 * The error for a non-2xx response: the contract's `{"error": {"code", "message"}}` when the body
 * has it, else a code from the HTTP status (API Gateway answers with `{"message": "Forbidden"}`).
 */
export function errorFromResponse(status: number, body: unknown, retryAfter: string | null, what: string): StreambedClientError {
  const retryAfterMs = parseRetryAfter(retryAfter);
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (error && typeof error === 'object' && typeof error.code === 'string') {
    const message = typeof error.message === 'string' ? error.message : `HTTP ${status}`;
    const code = isClientErrorCode(error.code) ? error.code : 'UNKNOWN';
    const text = code === 'UNKNOWN' ? `${what}: ${error.code}: ${message}` : `${what}: ${message}`;
    return new StreambedClientError(code, text, { status, retryAfterMs });
  }
  const gatewayMessage = (body as { message?: unknown } | undefined)?.message;
  const detail = typeof gatewayMessage === 'string' ? gatewayMessage : typeof body === 'string' && body.length > 0 ? body.slice(0, 200) : `HTTP ${status}`;
  return new StreambedClientError(codeForStatus(status), `${what}: ${detail} (HTTP ${status})`, { status, retryAfterMs });
}

/** `retry-after` as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
