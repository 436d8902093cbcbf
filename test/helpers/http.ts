/** A tiny HTTP client for the API under test (global fetch, JSON in and out). */
export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface Api {
  readonly url: string;
  get<T = any>(path: string): Promise<HttpResult<T>>;
  post<T = any>(path: string, body?: unknown): Promise<HttpResult<T>>;
  del<T = any>(path: string): Promise<HttpResult<T>>;
  raw<T = any>(method: string, path: string, body?: string | Buffer, headers?: Record<string, string>): Promise<HttpResult<T>>;
}

export function api(url: string): Api {
  const raw = async <T>(method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<HttpResult<T>> => {
    const res = await fetch(url + path, { method, body, headers: { 'content-type': 'application/json', ...headers } });
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  };
  return {
    url,
    raw,
    get: (path) => raw('GET', path),
    post: (path, body) => raw('POST', path, body === undefined ? undefined : JSON.stringify(body)),
    del: (path) => raw('DELETE', path),
  };
}

let counter = 0;
/** A topic name no other test uses. */
export function uniqueTopic(prefix = 't'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
