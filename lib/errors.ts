/**
 * One error type for the whole product. Every failure that reaches a caller carries a stable
 * `code` from the HTTP contract (../shared/API.md, "Errors"), a `retriable` flag that retry
 * helpers look at (and nothing else), and an optional `cause`.
 *
 * The HTTP status of a code is defined here and nowhere else.
 */

export const ERROR_STATUS = {
  INVALID_REQUEST: 400,
  INVALID_TOPIC: 400,
  INVALID_PARTITIONS: 400,
  INVALID_CONFIG: 400,
  INVALID_OFFSET: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  UNKNOWN_TOPIC_OR_PARTITION: 404,
  UNKNOWN_MEMBER_ID: 404,
  TOPIC_ALREADY_EXISTS: 409,
  ILLEGAL_GENERATION: 409,
  REBALANCE_IN_PROGRESS: 409,
  OUT_OF_ORDER_SEQUENCE: 409,
  PRODUCER_FENCED: 409,
  RECORD_TOO_LARGE: 413,
  REQUEST_TOO_LARGE: 413,
  OFFSET_OUT_OF_RANGE: 416,
  THROTTLED: 429,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Codes a client may retry unchanged: the same request can succeed later. */
const RETRIABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['THROTTLED', 'UNAVAILABLE', 'REBALANCE_IN_PROGRESS']);

export interface StreambedErrorOptions {
  cause?: unknown;
  /** Overrides the code's default. Unknown failures are never retriable by default. */
  retriable?: boolean;
  /** Seconds for the `retry-after` header (THROTTLED). */
  retryAfterSeconds?: number;
  /**
   * Overrides the code's HTTP status. Only the router uses it (404/405 for a path or method the API
   * does not have, still with the contract's INVALID_REQUEST code).
   */
  status?: number;
}

export class StreambedError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly retryAfterSeconds?: number;
  private readonly statusOverride?: number;

  constructor(code: ErrorCode, message: string, options: StreambedErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StreambedError';
    this.code = code;
    this.retriable = options.retriable ?? RETRIABLE.has(code);
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.statusOverride = options.status;
  }

  get status(): number {
    return this.statusOverride ?? ERROR_STATUS[this.code];
  }

  toBody(): { error: { code: ErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/**
 * Raised inside the log when a writer's leader epoch is no longer the partition's: the writer was
 * fenced and must not make anything visible. Surfaces to clients as 503 UNAVAILABLE (retriable:
 * a fresh attempt reads the new epoch).
 */
export class FencedError extends StreambedError {
  constructor(message: string, options: StreambedErrorOptions = {}) {
    super('UNAVAILABLE', message, { ...options, retriable: true });
    this.name = 'FencedError';
  }
}

export function isStreambedError(err: unknown): err is StreambedError {
  return err instanceof StreambedError;
}

/** Wraps a storage (S3/DynamoDB) failure that the caller may retry. */
export function unavailable(what: string, cause: unknown): StreambedError {
  const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new StreambedError('UNAVAILABLE', `${what} failed (${detail}); safe to retry`, { cause });
}
