/**
 * Runtime-neutral request and response shapes of the API core. Adapters translate into and out
 * of these: the Lambda adapter from API Gateway v2 events, and the local server through the very
 * same Lambda handlers.
 */
import type { RouteSpec } from './routes';

export interface ApiRequest {
  readonly route: RouteSpec;
  readonly pathParameters: Readonly<Record<string, string>>;
  /** Query parameters; a repeated parameter keeps its last value. */
  readonly query: Readonly<Record<string, string>>;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body bytes (base64 already decoded); empty when there is none. */
  readonly body: Buffer;
  /** Milliseconds left before the runtime gives up on this request (Lambda's remaining time). */
  readonly remainingTimeMs?: () => number;
  /**
   * Who is calling, as authenticated in front of the function: the IAM user/role ARN (API Gateway
   * IAM auth) or the user name a Lambda authorizer or the local stack's Basic auth vouched for.
   * Undefined when nobody authenticated the caller. Checked against STREAMBED_ACL (authorization.ts).
   */
  readonly principal?: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Serialized as JSON; undefined means no body (204). */
  readonly body?: unknown;
}

/** Requests larger than this are refused with 413 REQUEST_TOO_LARGE before anything is parsed. */
export const MAX_REQUEST_BYTES = 6 * 1024 * 1024;
