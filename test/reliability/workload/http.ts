/**
 * One HTTP call of a workload, classified the Jepsen way: `ok` (2xx), `fail` (4xx: the request
 * was refused, nothing happened) or `info` (5xx, timeout, connection error: it may or may not
 * have happened).
 */
export type Outcome =
  | { readonly type: 'ok'; readonly status: number; readonly body: unknown }
  | { readonly type: 'fail' | 'info'; readonly status?: number; readonly code?: string; readonly error: string };

export async function call(url: string, method: 'GET' | 'POST' | 'DELETE', body: unknown, timeoutMs: number): Promise<Outcome> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const code = e.name === 'TimeoutError' ? 'TIMEOUT' : (e.cause?.code ?? e.name);
    return { type: 'info', code, error: `${e.message}${e.cause?.message ? `: ${e.cause.message}` : ''}` };
  }
  let parsed: unknown;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (res.status >= 200 && res.status < 300) return { type: 'ok', status: res.status, body: parsed };
  const code = (parsed as { error?: { code?: string } } | undefined)?.error?.code;
  const message = (parsed as { error?: { message?: string } } | undefined)?.error?.message ?? String(text).slice(0, 200);
  return { type: res.status >= 400 && res.status < 500 ? 'fail' : 'info', status: res.status, code, error: message };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Exponential backoff with full jitter, capped. */
export function backoff(attempt: number, baseMs = 50, capMs = 1_000): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 10));
}
