/**
 * Per-topic IAM grants (infra/topic-access.ts) against the API core's ACL for the same grant:
 * for every route and sample names, what the generated `execute-api:Invoke` ARNs let through
 * (with IAM's wildcard semantics: `*` spans `/`) must never exceed what the ACL allows, and for
 * exact topic names on path-scoped routes it must be the same.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Template } from 'aws-cdk-lib/assertions';
import { parseAcl, type TopicAction } from '../../lib/api/acl';
import { ACCESS_RULES } from '../../lib/api/access-rules';
import { authorize } from '../../lib/api/authorization';
import type { ApiRequest } from '../../lib/api/http';
import { ROUTES, type RouteSpec } from '../../lib/api/routes';
import { StreambedError } from '../../lib/errors';
import { groupAccessPaths, topicAccessPaths, type RouteGrant } from '../../infra/topic-access';
import { streambedApp } from './synth';
import { text } from './template-queries';

const TOPICS = ['orders', 'orders-eu', 'ordersx', 'payments', 'x'];
const GROUPS = ['billing', 'billing-2', 'other'];

/** IAM's ARN matching: `*` any run of characters (slashes included), `?` one character. */
function iamMatches(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&'))).join('')}$`);
  return regex.test(value);
}

interface Sample {
  readonly route: RouteSpec;
  readonly concrete: string;
  readonly request: ApiRequest;
}

/** One concrete request per route and sample topic/group (body and query name the same topic). */
function samples(): Sample[] {
  const out: Sample[] = [];
  for (const route of ROUTES) {
    for (const topic of TOPICS) {
      for (const group of GROUPS) {
        const params: Record<string, string> = { topic, group, partition: '0', memberId: 'm-1' };
        const path = route.path.replace(/\{(\w+)\}/g, (_, n: string) => params[n]);
        const body = Buffer.from(JSON.stringify({ name: topic, topics: [topic], offsets: [{ topic, partition: 0, offset: 1 }], generation: 1 }));
        const pathParameters = Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], params[m[1]]]));
        out.push({ route, concrete: `${route.method}${path}`, request: { route, pathParameters, query: { topic }, headers: {}, body, principal: 'p' } });
      }
    }
  }
  return out;
}

function coreAllows(aclDoc: Record<string, string[]>, request: ApiRequest): boolean {
  try {
    authorize(request, parseAcl(JSON.stringify({ p: aclDoc })));
    return true;
  } catch (e) {
    if (e instanceof StreambedError && (e.code === 'FORBIDDEN' || e.code === 'UNAUTHORIZED')) return false;
    throw e;
  }
}

const iamAllows = (grants: RouteGrant[], concrete: string): boolean => grants.some((g) => iamMatches(`${g.method}${g.path}`, concrete));

const GRANTS: Array<{ topics: string[]; actions: TopicAction[] }> = [
  { topics: ['orders'], actions: ['produce'] },
  { topics: ['orders'], actions: ['fetch'] },
  { topics: ['orders'], actions: ['admin'] },
  { topics: ['orders*'], actions: ['produce'] },
  { topics: ['orders*'], actions: ['fetch'] },
  { topics: ['orders*'], actions: ['admin'] },
  { topics: ['orders*', 'payments'], actions: ['produce', 'fetch'] },
  { topics: ['*'], actions: ['admin'] },
  { topics: ['*'], actions: ['produce', 'fetch', 'admin'] },
];

describe.each(GRANTS)('grantTopicAccess($topics, $actions)', (grant) => {
  const grants = topicAccessPaths(grant);
  const acl = Object.fromEntries(grant.topics.map((t) => [t, [...grant.actions]]));

  it('never lets IAM through what the ACL refuses', () => {
    for (const s of samples()) {
      if (iamAllows(grants, s.concrete)) expect(coreAllows(acl, s.request), `IAM allows ${s.concrete}`).toBe(true);
    }
  });

  it('lets IAM through every path-scoped request the ACL allows on exact names', () => {
    if (grant.topics.some((t) => t.includes('*'))) return;
    for (const s of samples()) {
      const rule = ACCESS_RULES[s.route.operation];
      if (rule.topic?.from !== 'path' || rule.group) continue;
      if (coreAllows(acl, s.request)) expect(iamAllows(grants, s.concrete), `IAM refuses ${s.concrete}`).toBe(true);
    }
  });
});

describe('what a grant contains', () => {
  const keys = (g: RouteGrant[]) => g.map((r) => `${r.method} ${r.path}`).sort();

  it('produce on one topic: its records route, its description and health; no listing', () => {
    expect(keys(topicAccessPaths({ topics: ['orders'], actions: ['produce'] }))).toEqual(
      ['POST /v1/topics/orders/records', 'GET /v1/topics/orders', 'GET /v1/health'].sort(),
    );
  });

  it('fetch on a pattern: records, offsets, description and the listing', () => {
    expect(keys(topicAccessPaths({ topics: ['orders*'], actions: ['fetch'] }))).toEqual(
      [
        'GET /v1/topics/orders*/partitions/*/records',
        'GET /v1/topics/orders*/partitions/*/offsets',
        'GET /v1/topics/orders*',
        'GET /v1/topics',
        'GET /v1/health',
      ].sort(),
    );
  });

  it('produce on a pattern leaves out the description, whose wildcard ARN would reach fetch routes', () => {
    expect(keys(topicAccessPaths({ topics: ['orders*'], actions: ['produce'] }))).not.toContain('GET /v1/topics/orders*');
  });

  it('topic creation only with admin on "*": the new name is in the body', () => {
    expect(keys(topicAccessPaths({ topics: ['orders*'], actions: ['admin'] }))).not.toContain('POST /v1/topics');
    expect(keys(topicAccessPaths({ topics: ['*'], actions: ['admin'] }))).toContain('POST /v1/topics');
  });

  it('groups: every group route on the named groups, and the group listing', () => {
    const grants = keys(groupAccessPaths({ groups: ['billing'] }));
    expect(grants).toContain('POST /v1/groups/billing/members');
    expect(grants).toContain('POST /v1/groups/billing/members/*/heartbeat');
    expect(grants).toContain('GET /v1/groups');
    expect(grants.filter((g) => g.includes('/v1/topics'))).toEqual([]);
    const expected = ROUTES.filter((r) => r.role !== 'upstash' && (ACCESS_RULES[r.operation].group || ACCESS_RULES[r.operation].lists === 'groups'));
    expect(grants).toHaveLength(expected.length);
  });

  it('grants nothing outside the native /v1 API (the Upstash-compatible routes have their own authorizer)', () => {
    const all = [...topicAccessPaths({ topics: ['*'], actions: ['produce', 'fetch', 'admin'] }), ...groupAccessPaths({ groups: ['*'] })];
    expect(all.filter((g) => !g.path.startsWith('/v1/'))).toEqual([]);
  });

  it.each([
    [{ topics: [], actions: ['produce'] }, /at least one topic/],
    [{ topics: ['orders/x'], actions: ['produce'] }, /not a topic pattern/],
    [{ topics: ['orders?'], actions: ['produce'] }, /not a topic pattern/],
    [{ topics: ['orders'], actions: [] }, /at least one action/],
    [{ topics: ['orders'], actions: ['write'] }, /unknown topic action/],
  ])('refuses %j', (access, message) => {
    expect(() => topicAccessPaths(access as { topics: string[]; actions: TopicAction[] })).toThrow(message);
  });
});

describe('StreambedApi.grantTopicAccess in a template', () => {
  let template: Template;
  let apiId: string;
  beforeAll(() => {
    const { stack } = streambedApp();
    const role = new Role(stack, 'Ingest', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    stack.api.grantTopicAccess(role, { topics: ['orders'], actions: ['produce'] });
    stack.api.grantGroupAccess(role, { groups: ['billing'] });
    template = Template.fromStack(stack);
    apiId = Object.keys(template.findResources('AWS::ApiGatewayV2::Api'))[0];
  });

  it('allows execute-api:Invoke on exactly the granted routes of the $default stage', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) =>
      JSON.stringify(p.Properties.Roles).includes('Ingest'),
    );
    const statements = policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    expect(statements.every((s: any) => s.Action === 'execute-api:Invoke' && s.Effect === 'Allow')).toBe(true);
    const resources = statements.flatMap((s: any) => [s.Resource].flat().map(text)).sort();
    const prefix = `arn:AWS::Partition:execute-api:AWS::Region:AWS::AccountId:${apiId}/$default/`;
    const expected = [
      ...topicAccessPaths({ topics: ['orders'], actions: ['produce'] }),
      ...groupAccessPaths({ groups: ['billing'] }),
    ].map((g) => `${prefix}${g.method}${g.path}`);
    expect(resources).toEqual([...new Set(expected)].sort());
  });
});
