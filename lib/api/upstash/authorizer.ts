/**
 * The Lambda authorizer of the Upstash-compatible routes on AWS (API Gateway HTTP API, REQUEST
 * authorizer, simple responses): HTTP Basic credentials checked against a Secrets Manager secret,
 * the way Upstash's REST API takes UPSTASH_KAFKA_REST_USERNAME / _PASSWORD. The check itself is
 * the local stack's (lib/local/basic-auth.ts: SHA-256 digests compared in constant time), so a
 * credential that works locally works on AWS.
 *
 * The secret is `{"username": "…", "password": "…"}` (what the CDK app generates) or, for several
 * users, `{"users": {"alice": "pw1", "bob": "pw2"}}`. It is cached for `cacheMs` (a rotated
 * password is accepted within that time). The authorized user name goes to the request context as
 * `principal` (lib/api/lambda-adapter.ts reads it for STREAMBED_ACL).
 */
import { basicAuthenticator, type Authenticator } from '../../local/basic-auth';
import { telemetry } from '../../observability';

/** The parts of API Gateway's payload-2.0 authorizer event this reads. */
export interface AuthorizerEvent {
  readonly headers?: Readonly<Record<string, string | undefined>>;
}

export interface AuthorizerResult {
  readonly isAuthorized: boolean;
  readonly context?: { readonly principal: string };
}

export interface UpstashAuthorizerOptions {
  /** The secret's string value. */
  readonly loadSecret: () => Promise<string>;
  /** How long a loaded secret is used. @default 300000 */
  readonly cacheMs?: number;
  readonly now?: () => number;
}

export function upstashAuthorizer(options: UpstashAuthorizerOptions): (event: AuthorizerEvent) => Promise<AuthorizerResult> {
  const cacheMs = options.cacheMs ?? 300_000;
  const now = options.now ?? Date.now;
  let cached: { check: Authenticator; until: number } | undefined;
  return async (event) => {
    if (!cached || now() >= cached.until) cached = { check: authenticatorOf(await options.loadSecret()), until: now() + cacheMs };
    const header = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
    const result = cached.check(header);
    if (!result.ok || result.principal === undefined) return { isAuthorized: false };
    return { isAuthorized: true, context: { principal: result.principal } };
  };
}

/** The Basic-auth check a secret describes; a malformed secret refuses everyone (and says why in the log). */
export function authenticatorOf(secret: string): Authenticator {
  let setting: string;
  try {
    const doc = JSON.parse(secret) as { username?: unknown; password?: unknown; users?: unknown };
    if (typeof doc.username === 'string' && typeof doc.password === 'string') setting = `${doc.username}:${doc.password}`;
    else if (typeof doc.users === 'object' && doc.users !== null) setting = JSON.stringify(doc.users);
    else throw new Error('the secret must be {"username", "password"} or {"users": {name: password}}');
    return basicAuthenticator(setting);
  } catch (err) {
    telemetry().logger.error('upstash authorizer: unusable credentials secret', { error: err instanceof Error ? err.message : String(err) });
    return () => ({ ok: false });
  }
}
