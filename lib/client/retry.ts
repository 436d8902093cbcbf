/**
 * The client's one retry helper: exponential backoff with jitter, deciding only by the error's
 * `retriable` flag (and waiting at least as long as a `retry-after` asked). Everything that retries
 * in the SDK — produce calls, fetches, group calls, admin calls — goes through here.
 *
 * @example
 * const result = await retry(() => transport.request('GET', '/v1/topics'), { retries: 3 });
 */
import { StreambedClientError } from './errors';

/** The same knobs, names and defaults as kafkajs's `retry` option. */
export interface RetryOptions {
  /** Attempts after the first (default 5). */
  readonly retries?: number;
  /** Delay before the first retry, before jitter (default 300 ms). */
  readonly initialRetryTime?: number;
  /** Jitter: each delay is scaled by a random factor in [1 − factor, 1 + factor] (default 0.2). */
  readonly factor?: number;
  /** Each delay is the previous one times this (default 2). */
  readonly multiplier?: number;
  /** Upper bound of one delay (default 30 s). */
  readonly maxRetryTime?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = {
  retries: 5,
  initialRetryTime: 300,
  factor: 0.2,
  multiplier: 2,
  maxRetryTime: 30_000,
};

export interface RetryContext {
  /** Stops waiting (and retrying) when aborted; the last error is thrown. */
  readonly signal?: AbortSignal;
  /** Called before each wait, e.g. for logging. */
  readonly onRetry?: (err: StreambedClientError, attempt: number, delayMs: number) => void;
  /** For tests: the random source (default Math.random). */
  readonly random?: () => number;
}

/** The delay before retry number `attempt` (0-based), without retry-after. */
export function backoffDelay(attempt: number, options: RetryOptions = {}, random: () => number = Math.random): number {
  const o = { ...DEFAULT_RETRY, ...options };
  const base = Math.min(o.maxRetryTime, o.initialRetryTime * o.multiplier ** attempt);
  const jitter = 1 - o.factor + 2 * o.factor * random();
  return Math.min(o.maxRetryTime, Math.round(base * jitter));
}

/**
 * Calls `fn` until it succeeds, throws something not retriable, or runs out of retries.
 * A thrown value that is not a StreambedClientError is never retried.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}, context: RetryContext = {}): Promise<T> {
  const retries = options.retries ?? DEFAULT_RETRY.retries;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!(err instanceof StreambedClientError) || !err.retriable || attempt >= retries || context.signal?.aborted) throw err;
      const delay = Math.max(err.retryAfterMs ?? 0, backoffDelay(attempt, options, context.random));
      context.onRetry?.(err, attempt + 1, delay);
      if (!(await sleep(delay, context.signal))) throw err;
    }
  }
}

/** Waits `ms`; resolves false early when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
