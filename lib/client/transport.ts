/**
 * The SDK's HTTP layer: builds the URL, sends JSON with the global `fetch` (or one given, e.g. to
 * count or intercept calls), signs when a signer is set, and turns every failure into a
 * StreambedClientError: an error response by its contract code, no response as NETWORK_ERROR or
 * TIMEOUT (both retriable). It does not retry; callers wrap calls in `retry()`.
 */
import { StreambedClientError, errorFromResponse } from './errors';
import type { RequestSigner } from './signing';

export type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface TransportOptions {
  /** Base URL of the API, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com`. */
  readonly url: string;
  readonly fetch?: FetchFn;
  readonly signer?: RequestSigner;
  /** Per-request limit without a response (default 60 s; long polls wait up to 20 s server-side). */
  readonly requestTimeoutMs?: number;
}

export interface RequestOptions {
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  /** A value to send as JSON, or an already serialized JSON string (sent byte for byte). */
  readonly body?: unknown;
  /** Aborting it rejects with the abort reason itself (not a StreambedClientError). */
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export interface Response2xx<T> {
  readonly status: number;
  readonly body: T;
}

export class Transport {
  readonly baseUrl: URL;
  private readonly fetchFn: FetchFn;
  private readonly signer?: RequestSigner;
  private readonly timeoutMs: number;

  constructor(options: TransportOptions) {
    let base: URL;
    try {
      base = new URL(options.url);
    } catch (err) {
      throw new StreambedClientError('INVALID_REQUEST', `url "${options.url}" is not a valid URL`, { cause: err });
    }
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    this.baseUrl = base;
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.signer = options.signer;
    this.timeoutMs = options.requestTimeoutMs ?? 60_000;
  }

  /** `path` starts with `/v1/…`; path parameters must already be encoded (see `seg`). */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<Response2xx<T>> {
    const url = new URL(path.replace(/^\//, ''), this.baseUrl);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.signer) Object.assign(headers, await this.signer({ method, url, headers, body }));

    const what = `${method} ${url.pathname}`;
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let res: Response;
    let text: string;
    try {
      res = await this.fetchFn(url, { method, headers, body, signal });
      text = await res.text();
    } catch (err) {
      if (options.signal?.aborted) throw options.signal.reason ?? err;
      if (timeout.aborted) throw new StreambedClientError('TIMEOUT', `${what}: no response within ${options.timeoutMs ?? this.timeoutMs} ms`, { cause: err });
      throw new StreambedClientError('NETWORK_ERROR', `${what}: ${describeNetworkError(err)}`, { cause: err });
    }
    let parsed: unknown = undefined;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (res.status < 200 || res.status > 299) throw errorFromResponse(res.status, parsed, res.headers.get('retry-after'), what);
    return { status: res.status, body: parsed as T };
  }
}

/** Encodes one path segment (a topic or group name). */
export function seg(value: string | number): string {
  return encodeURIComponent(String(value));
}

function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  const detail = cause && typeof cause === 'object' ? (typeof cause.code === 'string' ? cause.code : typeof cause.message === 'string' ? cause.message : '') : '';
  return detail ? `${err.message} (${detail})` : err.message;
}
