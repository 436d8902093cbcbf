/**
 * Per-topic (and per-group) authorization in the API core, when an ACL is configured
 * (STREAMBED_ACL, acl.ts): the request's principal must hold the action its operation needs
 * (access-rules.ts) on every topic and group it names. Runs after routing and before the
 * operation, so a refused request changes nothing and reveals nothing about the topic (403 comes
 * before 404).
 *
 * - no ACL → nothing is checked here (on AWS, IAM policies decide per route; locally Basic auth
 *   alone, or nothing);
 * - ACL, no authenticated principal → 401 UNAUTHORIZED;
 * - ACL, principal lacks the action → 403 FORBIDDEN;
 * - listings are filtered to the topics / groups the principal has any right on.
 */
import { StreambedError } from '../errors';
import { aclAllows, aclAllowsAny, aclFromEnv, type Acl } from './acl';
import { ACCESS_RULES, type TopicSource } from './access-rules';
import type { ApiRequest, ApiResponse } from './http';
import { jsonBody } from './validation';
import { upstashTopicsOf } from './upstash/topics-of';

export interface Access {
  /** The response with listings cut down to what the principal may see. */
  filter(response: ApiResponse): ApiResponse;
}

const NO_FILTER: Access = { filter: (r) => r };

/** Throws 401/403 when `request` is not allowed; returns how to filter its response. */
export function authorize(request: ApiRequest, acl: Acl | undefined = aclFromEnv()): Access {
  if (!acl) return NO_FILTER;
  const rule = ACCESS_RULES[request.route.operation];
  if (!rule.topic && !rule.group && !rule.lists) return NO_FILTER;
  const principal = request.principal;
  if (principal === undefined) {
    throw new StreambedError('UNAUTHORIZED', 'this API checks an access-control list: send credentials (HTTP Basic locally, SigV4 on AWS)');
  }
  if (!acl.principals.has(principal)) {
    throw new StreambedError('FORBIDDEN', `principal "${principal}" has no entry in the access-control list`);
  }
  if (rule.group) {
    const group = request.pathParameters.group ?? '';
    if (!aclAllows(acl, principal, 'group', group, rule.group.action)) {
      throw new StreambedError('FORBIDDEN', `principal "${principal}" may not ${rule.group.action} as group "${group.slice(0, 249)}"`);
    }
  }
  if (rule.topic) {
    const { action, from } = rule.topic;
    for (const topic of topicsOf(request, from)) {
      const ok = action === 'describe' ? aclAllowsAny(acl, principal, 'topic', topic) : aclAllows(acl, principal, 'topic', topic, action);
      if (!ok) {
        const what = action === 'describe' ? 'use' : action;
        throw new StreambedError('FORBIDDEN', `principal "${principal}" may not ${what} topic "${topic.slice(0, 249)}"`);
      }
    }
  }
  if (rule.lists === 'topics') return { filter: (r) => filterListing(r, 'topics', 'name', (n) => aclAllowsAny(acl, principal, 'topic', n)) };
  if (rule.lists === 'groups') return { filter: (r) => filterListing(r, 'groups', 'group', (n) => aclAllowsAny(acl, principal, 'group', n)) };
  return NO_FILTER;
}

/**
 * The topic names a request names, read the way its operation reads them. A body or query the
 * operation will refuse anyway (bad JSON, wrong types) yields no names: the operation answers
 * 400 and nothing happens.
 */
function topicsOf(request: ApiRequest, from: TopicSource): string[] {
  if (from === 'path') return [request.pathParameters.topic ?? ''];
  if (from === 'query.topic') return request.query.topic !== undefined ? [request.query.topic] : [];
  if (from === 'upstash') return upstashTopicsOf(request);
  let body: unknown;
  try {
    body = jsonBody(request);
  } catch (err) {
    if (err instanceof StreambedError) return [];
    throw err;
  }
  if (!isObject(body)) return [];
  if (from === 'body.name') return typeof body.name === 'string' ? [body.name] : [];
  if (from === 'body.topics') return Array.isArray(body.topics) ? body.topics.filter((t): t is string => typeof t === 'string') : [];
  const offsets = Array.isArray(body.offsets) ? body.offsets : [];
  return [...new Set(offsets.flatMap((o) => (isObject(o) && typeof o.topic === 'string' ? [o.topic] : [])))];
}

function filterListing(response: ApiResponse, list: 'topics' | 'groups', field: 'name' | 'group', visible: (name: string) => boolean): ApiResponse {
  const body = response.body;
  if (response.status !== 200 || !isObject(body) || !Array.isArray(body[list])) return response;
  const items = (body[list] as unknown[]).filter((item) => isObject(item) && typeof item[field] === 'string' && visible(item[field]));
  return { ...response, body: { ...body, [list]: items } };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
