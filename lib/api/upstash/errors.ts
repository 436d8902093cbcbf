/**
 * Upstash's error body: `{"error": "<message>", "status": <HTTP status>}` with that status
 * (upstash/docs kafka/rest/restintro "Responses"), in place of the /v1 API's `{"error": {code,
 * message}}`. The status and the message come from the one error type (lib/errors.ts); the code is
 * kept in the message's front so a log line still names it.
 */
import { normalizeError } from '../error-response';
import type { ApiResponse } from '../http';

export interface UpstashErrorBody {
  readonly error: string;
  readonly status: number;
}

/** The Upstash-shaped response for any thrown value; unknown failures are 503 (safe to retry). */
export function upstashErrorResponse(err: unknown): ApiResponse {
  const { error: e, headers } = normalizeError(err);
  const body: UpstashErrorBody = { error: `${e.code}: ${e.message}`, status: e.status };
  return { status: e.status, headers, body };
}

/** The success body of commit and delete-consumer, as Upstash answers them. */
export const SUCCESS = { result: 'Success', status: 200 } as const;
