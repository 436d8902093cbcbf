/**
 * How the CLI ends: 0 ok, 1 a runtime or API failure (the API's code in the message), 2 a usage
 * error (bad flags or arguments; commander's own parse errors are mapped to 2 in main.ts).
 */
import { StreambedClientError } from '../client';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Wrong flags or arguments: exit 2, with the message and a pointer to --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A runtime failure that is not an API error (bad stdin line, …): exit 1 with `code` in the message. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The line printed on stderr and the exit code for an error thrown by a command. */
export function describeFailure(err: unknown): { message: string; exitCode: number } {
  if (err instanceof UsageError) return { message: `streambed: ${err.message} (see --help)`, exitCode: EXIT_USAGE };
  if (err instanceof StreambedClientError) {
    const status = err.status !== undefined ? ` (HTTP ${err.status})` : '';
    return { message: `streambed: ${err.code}${status}: ${err.message}`, exitCode: EXIT_FAILURE };
  }
  if (err instanceof CliFailure) return { message: `streambed: ${err.code}: ${err.message}`, exitCode: EXIT_FAILURE };
  const detail = err instanceof Error ? (process.env.STREAMBED_DEBUG === '1' ? (err.stack ?? err.message) : err.message) : String(err);
  return { message: `streambed: ${detail}`, exitCode: EXIT_FAILURE };
}
