/**
 * Per-topic authorization on AWS: which `execute-api:Invoke` resources let a principal produce,
 * fetch or administer which topics, built from ROUTES and the operation rules of
 * lib/api/access-rules.ts (the same table the API core's ACL uses), so the two cannot drift.
 *
 * An HTTP API with IAM auth authorizes per route path: `arn:aws:execute-api:{region}:{account}:
 * {apiId}/{stage}/{METHOD}/{path}`, where the topic is a path segment. IAM's `*` matches any run
 * of characters INCLUDING `/`, so a pattern such as `orders*` in `GET /v1/topics/orders*` also
 * matches `GET /v1/topics/orders/partitions/0/records`. The rules below never grant a route whose
 * ARN would reach an action that was not asked for (test/infra/topic-access.test.ts checks every
 * route against the API core's ACL for the same grant):
 *
 * - produce → `POST …/{topic}/records`; fetch → the records and offsets GETs; admin → `DELETE
 *   …/{topic}` and, only with the pattern `*`, `POST /v1/topics` (the name of a new topic is in
 *   the body, which IAM cannot see);
 * - describe (`GET /v1/topics/{topic}`) comes with any action for exact names; for a pattern with
 *   `*` only together with fetch (whose routes that ARN also reaches);
 * - `GET /v1/topics` (unfiltered on AWS) with fetch or admin; `GET /v1/health` with any grant;
 * - consumer groups separately (`groupAccessPaths`): every group route on the named groups, plus
 *   `GET /v1/groups`. Topics named in a group request's body are not checked by IAM.
 *
 * The Upstash-compatible routes (role `upstash`) are never granted here: they use HTTP Basic auth
 * through their own authorizer (infra/upstash-auth.ts), not IAM.
 */
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { TOPIC_ACTIONS, type TopicAction } from '../lib/api/acl';
import { ACCESS_RULES } from '../lib/api/access-rules';
import { ROUTES, type HttpMethod, type RouteSpec } from '../lib/api/routes';

export interface TopicAccess {
  /** Topic names or patterns (`*` = any run of name characters), e.g. `['orders', 'clicks-*']`. */
  readonly topics: readonly string[];
  readonly actions: readonly TopicAction[];
}

export interface GroupAccess {
  /** Consumer group names or patterns. */
  readonly groups: readonly string[];
}

/** One grantable route: method and concrete path (patterns substituted). */
export interface RouteGrant {
  readonly method: HttpMethod;
  readonly path: string;
}

const PATTERN = /^[a-zA-Z0-9._*-]{1,249}$/;

/** The routes `access` allows, with the topic patterns and `*` for other parameters. */
export function topicAccessPaths(access: TopicAccess): RouteGrant[] {
  const actions = new Set<TopicAction>(access.actions);
  for (const a of actions) if (!TOPIC_ACTIONS.includes(a)) throw new Error(`unknown topic action "${a}": use ${TOPIC_ACTIONS.join(', ')}`);
  if (actions.size === 0) throw new Error('grant at least one action');
  checkPatterns(access.topics, 'topic');
  const out: RouteGrant[] = [];
  for (const route of ROUTES) {
    if (route.role === 'upstash') continue; // HTTP Basic (the Upstash authorizer), not IAM
    const rule = ACCESS_RULES[route.operation];
    if (rule.group || rule.lists === 'groups') continue; // groupAccessPaths
    if (!rule.topic && !rule.lists) {
      out.push(grantOf(route, {})); // health
    } else if (rule.lists === 'topics') {
      if (actions.has('fetch') || actions.has('admin')) out.push(grantOf(route, {}));
    } else if (rule.topic?.from === 'body.name') {
      if (actions.has('admin') && access.topics.includes('*')) out.push(grantOf(route, {}));
    } else if (rule.topic?.from === 'path') {
      for (const topic of access.topics) {
        const { action } = rule.topic;
        const wanted = action === 'describe' ? !topic.includes('*') || actions.has('fetch') : actions.has(action);
        if (wanted) out.push(grantOf(route, { topic }));
      }
    }
  }
  return dedupe(out);
}

/** The routes of consumer groups `access.groups`, and the group listing. */
export function groupAccessPaths(access: GroupAccess): RouteGrant[] {
  checkPatterns(access.groups, 'group');
  const out: RouteGrant[] = [];
  for (const route of ROUTES) {
    if (route.role === 'upstash') continue; // HTTP Basic (the Upstash authorizer), not IAM
    const rule = ACCESS_RULES[route.operation];
    if (rule.lists === 'groups') out.push(grantOf(route, {}));
    else if (rule.group) for (const group of access.groups) out.push(grantOf(route, { group }));
  }
  return dedupe(out);
}

/** `execute-api:Invoke` on the routes of `grants`, for `grantee`, on `api`'s `stageName`. */
export function grantInvoke(api: HttpApi, stageName: string, grantee: IGrantable, grants: readonly RouteGrant[]): Grant {
  return Grant.addToPrincipal({
    grantee,
    actions: ['execute-api:Invoke'],
    resourceArns: grants.map((g) => api.arnForExecuteApi(g.method, g.path, stageName)),
  });
}

function grantOf(route: RouteSpec, values: Readonly<Record<string, string>>): RouteGrant {
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '*');
  return { method: route.method, path };
}

function checkPatterns(patterns: readonly string[], what: string): void {
  if (patterns.length === 0) throw new Error(`name at least one ${what} (or "*")`);
  for (const p of patterns) {
    if (!PATTERN.test(p)) throw new Error(`"${p}" is not a ${what} pattern: 1-249 characters of [a-zA-Z0-9._-] and *`);
  }
}

function dedupe(grants: RouteGrant[]): RouteGrant[] {
  const seen = new Map(grants.map((g) => [`${g.method} ${g.path}`, g]));
  return [...seen.values()];
}
