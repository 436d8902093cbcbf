/**
 * HTTP Basic authentication for the local stack (the stand-in for the deployed API's IAM auth).
 * STREAMBED_BASIC_AUTH is either one `user:password`, or a JSON object of users →
 * passwords (`{"alice": "pw1", "bob": "pw2"}`) for per-user access control with STREAMBED_ACL.
 * Unset: auth is off and credentials sent are ignored (API.md "Local stack").
 *
 * Passwords are compared as SHA-256 digests in constant time, and an unknown user costs the same
 * comparison, so response timing tells neither a password prefix nor which users exist.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type Authentication = { readonly ok: true; readonly principal?: string } | { readonly ok: false };
export type Authenticator = (authorizationHeader: string | undefined) => Authentication;

const OPEN: Authenticator = () => ({ ok: true });
const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Parses the setting (throws with a message naming it when malformed) and returns the check. */
export function basicAuthenticator(setting: string | undefined): Authenticator {
  if (setting === undefined || setting === '') return OPEN;
  const users = parseUsers(setting);
  const decoy = digest('streambed: no such user');
  return (header) => {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
    if (!m) return { ok: false };
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { ok: false };
    const user = decoded.slice(0, colon);
    const want = users.get(user);
    const match = timingSafeEqual(digest(decoded.slice(colon + 1)), want ?? decoy);
    return match && want !== undefined ? { ok: true, principal: user } : { ok: false };
  };
}

function parseUsers(setting: string): Map<string, Buffer> {
  const users = new Map<string, Buffer>();
  if (setting.trimStart().startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(setting);
    } catch {
      throw new Error('STREAMBED_BASIC_AUTH must be user:password or a JSON object {"user": "password", ...}');
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('STREAMBED_BASIC_AUTH JSON must be an object {"user": "password", ...}');
    for (const [user, password] of Object.entries(doc)) {
      if (user === '' || user.includes(':') || typeof password !== 'string' || password === '') {
        throw new Error(`STREAMBED_BASIC_AUTH: user "${user}" needs a non-empty name without ":" and a non-empty password string`);
      }
      users.set(user, digest(password));
    }
    if (users.size === 0) throw new Error('STREAMBED_BASIC_AUTH names no user');
    return users;
  }
  const colon = setting.indexOf(':');
  if (colon <= 0) throw new Error('STREAMBED_BASIC_AUTH must be user:password');
  users.set(setting.slice(0, colon), digest(setting.slice(colon + 1)));
  return users;
}
