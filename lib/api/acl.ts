/**
 * The optional access-control list of the API core (docs/security.md): which principal may do
 * what on which topics and consumer groups. Configured with STREAMBED_ACL, either inline JSON or
 * the path of a JSON file:
 *
 * ```json
 * {
 *   "alice":   { "orders*": ["produce", "fetch"], "group:billing-*": ["consume"] },
 *   "ops":     { "*": ["admin", "fetch"], "group:*": ["consume"] },
 *   "arn:aws:iam::123456789012:role/ingest": { "clicks": ["produce"] }
 * }
 * ```
 *
 * Keys are principals (a local Basic-auth user name, or an IAM ARN as API Gateway reports it);
 * each maps resource patterns to actions. A pattern is a topic name, or `group:` and a group
 * name, where `*` stands for any run of name characters. Topic actions: `produce`, `fetch`,
 * `admin`; group action: `consume`. Nothing is allowed unless listed.
 */
import { readFileSync } from 'node:fs';

export const TOPIC_ACTIONS = ['produce', 'fetch', 'admin'] as const;
export const GROUP_ACTIONS = ['consume'] as const;
export type TopicAction = (typeof TOPIC_ACTIONS)[number];
export type GroupAction = (typeof GROUP_ACTIONS)[number];
export type ResourceKind = 'topic' | 'group';

const GROUP_PREFIX = 'group:';
/** Topic and group names are `[a-zA-Z0-9._-]{1,249}`; patterns add `*`. */
const PATTERN = /^[a-zA-Z0-9._*-]{1,249}$/;

export interface AclEntry {
  readonly kind: ResourceKind;
  readonly pattern: string;
  readonly actions: ReadonlySet<string>;
  readonly matches: (name: string) => boolean;
}

export interface Acl {
  /** Principal → its entries; a principal not in the map may do nothing. */
  readonly principals: ReadonlyMap<string, readonly AclEntry[]>;
}

/** The error for a bad ACL: says which entry and how to fix it. */
export class AclError extends Error {
  constructor(message: string) {
    super(`STREAMBED_ACL: ${message}`);
    this.name = 'AclError';
  }
}

/** Parses and validates an ACL document (see the module comment). */
export function parseAcl(text: string): Acl {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new AclError(`not valid JSON (${err instanceof Error ? err.message.slice(0, 200) : String(err)})`);
  }
  if (!isObject(doc)) throw new AclError('must be an object of principal → { pattern: [actions] }');
  const principals = new Map<string, AclEntry[]>();
  for (const [principal, grants] of Object.entries(doc)) {
    if (principal === '') throw new AclError('a principal name is empty');
    if (!isObject(grants)) throw new AclError(`"${principal}" must map patterns to arrays of actions`);
    const entries: AclEntry[] = [];
    for (const [key, actions] of Object.entries(grants)) {
      const kind: ResourceKind = key.startsWith(GROUP_PREFIX) ? 'group' : 'topic';
      const pattern = kind === 'group' ? key.slice(GROUP_PREFIX.length) : key;
      if (!PATTERN.test(pattern)) {
        throw new AclError(`"${principal}" → "${key}": a pattern is 1-249 characters of [a-zA-Z0-9._-] and * (groups: "group:<pattern>")`);
      }
      const allowed: readonly string[] = kind === 'group' ? GROUP_ACTIONS : TOPIC_ACTIONS;
      if (!Array.isArray(actions) || actions.some((a) => typeof a !== 'string' || !allowed.includes(a))) {
        throw new AclError(`"${principal}" → "${key}": actions must be an array of ${allowed.map((a) => `"${a}"`).join(', ')}`);
      }
      entries.push({ kind, pattern, actions: new Set(actions as string[]), matches: patternMatcher(pattern) });
    }
    principals.set(principal, entries);
  }
  return { principals };
}

/** True when the ACL lets `principal` do `action` on the named topic or group. */
export function aclAllows(acl: Acl, principal: string, kind: ResourceKind, name: string, action: string): boolean {
  return (acl.principals.get(principal) ?? []).some((e) => e.kind === kind && e.actions.has(action) && e.matches(name));
}

/** True when the ACL lets `principal` do anything at all on the named topic or group. */
export function aclAllowsAny(acl: Acl, principal: string, kind: ResourceKind, name: string): boolean {
  return (acl.principals.get(principal) ?? []).some((e) => e.kind === kind && e.actions.size > 0 && e.matches(name));
}

/** `orders*` → matches `orders`, `orders-eu`; every other character literal. */
export function patternMatcher(pattern: string): (name: string) => boolean {
  if (pattern === '*') return () => true;
  const regex = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('.*')}$`);
  return (name) => regex.test(name);
}

let cached: { source: string; acl: Acl } | undefined;

/**
 * The ACL of STREAMBED_ACL (inline JSON when it starts with `{`, else a file path), parsed once
 * per distinct value; undefined when unset (no ACL: every authenticated caller may do anything).
 */
export function aclFromEnv(env: NodeJS.ProcessEnv = process.env): Acl | undefined {
  const source = env.STREAMBED_ACL?.trim();
  if (!source) return undefined;
  if (cached?.source !== source) {
    let text = source;
    if (!source.startsWith('{')) {
      try {
        text = readFileSync(source, 'utf8');
      } catch (err) {
        throw new AclError(`cannot read the file ${source} (${err instanceof Error ? err.message : String(err)})`);
      }
    }
    cached = { source, acl: parseAcl(text) };
  }
  return cached.acl;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
