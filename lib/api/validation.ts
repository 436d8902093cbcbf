/**
 * Request parsing with zod: JSON bodies, query integers, path parameters. Every failure becomes a
 * StreambedError whose message names the field and says what to fix.
 */
import { z } from 'zod';
import { StreambedError, type ErrorCode } from '../errors';
import type { ApiRequest } from './http';
import { MAX_JSON_DEPTH, exceedsJsonDepth } from './json-depth';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parsed bodies by body buffer: authorization and the operation may both read one request's body. */
const parsed = new WeakMap<Buffer, { value: unknown } | { error: StreambedError }>();

/**
 * Parses the body as strict UTF-8 JSON nested at most MAX_JSON_DEPTH levels (400 INVALID_REQUEST
 * otherwise). Parsed once per request.
 */
export function jsonBody(request: ApiRequest): unknown {
  let result = parsed.get(request.body);
  if (!result) {
    try {
      result = { value: parseJson(request.body) };
    } catch (err) {
      if (!(err instanceof StreambedError)) throw err;
      result = { error: err };
    }
    parsed.set(request.body, result);
  }
  if ('error' in result) throw result.error;
  return result.value;
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) throw new StreambedError('INVALID_REQUEST', 'the request needs a JSON body');
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new StreambedError('INVALID_REQUEST', 'the request body is not valid UTF-8');
  }
  if (exceedsJsonDepth(body)) {
    throw new StreambedError('INVALID_REQUEST', `the request body nests arrays/objects more than ${MAX_JSON_DEPTH} levels deep`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new StreambedError('INVALID_REQUEST', `the request body is not valid JSON (${detail.slice(0, 200)})`);
  }
}

/** Validates `value` against `schema`; the first issue becomes the message, with its field path. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, code: ErrorCode = 'INVALID_REQUEST'): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue.path.length > 0 ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : 'body';
  throw new StreambedError(code, `${where}: ${issue.message}`);
}

const INTEGER = /^-?\d+$/;

/**
 * An integer query parameter: `fallback` when absent; `code` when not an integer or below `min`;
 * capped at `max` (the contract caps rather than refuses large limits).
 */
export function queryInteger(
  request: ApiRequest,
  name: string,
  opts: { fallback?: number; min: number; max?: number; code?: ErrorCode },
): number {
  const raw = request.query[name];
  const code = opts.code ?? 'INVALID_REQUEST';
  if (raw === undefined || raw === '') {
    if (opts.fallback === undefined) throw new StreambedError(code, `query parameter "${name}" is required`);
    return opts.fallback;
  }
  if (!INTEGER.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new StreambedError(code, `query parameter "${name}" must be an integer, got "${raw.slice(0, 50)}"`);
  }
  const n = Number(raw);
  if (n < opts.min) throw new StreambedError(code, `query parameter "${name}" must be ≥ ${opts.min}, got ${n}`);
  return opts.max !== undefined ? Math.min(n, opts.max) : n;
}

/** A non-negative integer path parameter (400 INVALID_REQUEST otherwise). */
export function pathPartition(request: ApiRequest): number {
  const raw = request.pathParameters.partition ?? '';
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new StreambedError('INVALID_REQUEST', `partition must be a non-negative integer, got "${raw.slice(0, 50)}"`);
  }
  return Number(raw);
}

export function pathTopic(request: ApiRequest): string {
  return request.pathParameters.topic ?? '';
}

export const encodingSchema = z.enum(['utf8', 'base64'], { error: 'encoding must be "utf8" or "base64"' });
export type Encoding = z.infer<typeof encodingSchema>;

export function queryEncoding(request: ApiRequest): Encoding {
  return parseWith(encodingSchema, request.query.encoding ?? 'utf8');
}
