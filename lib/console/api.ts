/**
 * The console's view of the Streambed HTTP API (docs/api.md): GETs with JSON answers, optional
 * HTTP Basic credentials (the local stack's STREAMBED_BASIC_AUTH). Deliberately no SigV4: see
 * docs/console.md, "Against a deployed stack".
 */

export interface ConsoleSettings {
  /** The API's base URL; default: the console's own origin (the local stack serves both). */
  readonly apiUrl: string;
  readonly username?: string;
  readonly password?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class ConsoleApi {
  constructor(private readonly settings: ConsoleSettings) {}

  get baseUrl(): string {
    return this.settings.apiUrl;
  }

  async get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    const url = new URL(path.replace(/^\//, ''), this.settings.apiUrl.endsWith('/') ? this.settings.apiUrl : `${this.settings.apiUrl}/`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.settings.username) headers.authorization = `Basic ${base64Utf8(`${this.settings.username}:${this.settings.password ?? ''}`)}`;
    let res: Response;
    try {
      res = await fetch(url, { headers, credentials: 'omit' });
    } catch (err) {
      throw new ApiError(0, 'NETWORK', `cannot reach ${url.origin} (${String(err)}); is the API URL right, and does it allow this origin (CORS)?`);
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      throw new ApiError(res.status, 'NOT_JSON', `${url.pathname} answered ${res.status} with a non-JSON body: is ${this.settings.apiUrl} a Streambed API?`);
    }
    if (!res.ok) {
      const e = (body as { error?: { code?: string; message?: string } }).error;
      throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? `${url.pathname} answered ${res.status}`);
    }
    return body as T;
  }
}

/** RFC 7617 with charset UTF-8 (what the local stack's Basic auth expects). */
function base64Utf8(s: string): string {
  let binary = '';
  for (const b of new TextEncoder().encode(s)) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Path segment of a topic or group name. */
export function seg(s: string | number): string {
  return encodeURIComponent(String(s));
}
