/** The ACL check of the API core, operation by operation (pure logic: no storage involved). */
import { describe, expect, it } from 'vitest';
import { parseAcl } from '../../../lib/api/acl';
import { ACCESS_RULES } from '../../../lib/api/access-rules';
import { authorize } from '../../../lib/api/authorization';
import type { ApiRequest } from '../../../lib/api/http';
import { ROUTES, type OperationName } from '../../../lib/api/routes';
import { StreambedError } from '../../../lib/errors';

const acl = parseAcl(
  JSON.stringify({
    producer: { 'orders*': ['produce'] },
    consumer: { 'orders*': ['fetch'], 'group:billing': ['consume'] },
    admin: { '*': ['admin'] },
    idle: {},
  }),
);

function req(operation: OperationName, partial: Partial<ApiRequest> = {}): ApiRequest {
  const route = ROUTES.find((r) => r.operation === operation)!;
  return { route, pathParameters: {}, query: {}, headers: {}, body: Buffer.alloc(0), ...partial };
}

function outcome(request: ApiRequest): string {
  try {
    authorize(request, acl);
    return 'allowed';
  } catch (e) {
    if (e instanceof StreambedError) return e.code;
    throw e;
  }
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('authorize', () => {
  it('checks nothing without an ACL', () => {
    expect(() => authorize(req('deleteTopic', { pathParameters: { topic: 'x' } }), undefined)).not.toThrow();
  });

  it('every operation has a rule', () => {
    for (const route of ROUTES) expect(ACCESS_RULES[route.operation], route.operation).toBeDefined();
  });

  it('401 without a principal, 403 for a principal the ACL does not name', () => {
    expect(outcome(req('produce', { pathParameters: { topic: 'orders' } }))).toBe('UNAUTHORIZED');
    expect(outcome(req('produce', { pathParameters: { topic: 'orders' }, principal: 'mallory' }))).toBe('FORBIDDEN');
    expect(outcome(req('listTopics', { principal: 'mallory' }))).toBe('FORBIDDEN');
  });

  it('health needs no ACL entry', () => {
    expect(outcome(req('health'))).toBe('allowed');
  });

  it.each([
    ['produce', 'producer', 'orders-eu', 'allowed'],
    ['produce', 'producer', 'payments', 'FORBIDDEN'],
    ['produce', 'consumer', 'orders', 'FORBIDDEN'],
    ['fetch', 'consumer', 'orders', 'allowed'],
    ['fetch', 'producer', 'orders', 'FORBIDDEN'],
    ['listOffsets', 'consumer', 'orders', 'allowed'],
    ['listOffsets', 'producer', 'orders', 'FORBIDDEN'],
    ['describeTopic', 'producer', 'orders', 'allowed'],
    ['describeTopic', 'consumer', 'orders', 'allowed'],
    ['describeTopic', 'idle', 'orders', 'FORBIDDEN'],
    ['deleteTopic', 'consumer', 'orders', 'FORBIDDEN'],
    ['deleteTopic', 'admin', 'orders', 'allowed'],
  ] as const)('%s by %s on %s: %s', (operation, principal, topic, expected) => {
    expect(outcome(req(operation, { pathParameters: { topic, partition: '0' }, principal }))).toBe(expected);
  });

  it('create checks admin on the name in the body; a body without one is left to validation', () => {
    expect(outcome(req('createTopic', { principal: 'admin', body: json({ name: 'new' }) }))).toBe('allowed');
    expect(outcome(req('createTopic', { principal: 'producer', body: json({ name: 'orders-new' }) }))).toBe('FORBIDDEN');
    expect(outcome(req('createTopic', { principal: 'producer', body: Buffer.from('{not json') }))).toBe('allowed');
  });

  it('groups: consume on the group, and the topics named in the body or query', () => {
    const group = { group: 'billing', memberId: 'm1' };
    expect(outcome(req('joinGroup', { principal: 'consumer', pathParameters: group, body: json({ topics: ['orders'] }) }))).toBe('allowed');
    expect(outcome(req('joinGroup', { principal: 'consumer', pathParameters: group, body: json({ topics: ['orders', 'payments'] }) }))).toBe('FORBIDDEN');
    expect(outcome(req('joinGroup', { principal: 'consumer', pathParameters: { group: 'other' }, body: json({ topics: ['orders'] }) }))).toBe('FORBIDDEN');
    expect(outcome(req('heartbeat', { principal: 'consumer', pathParameters: group }))).toBe('allowed');
    expect(outcome(req('heartbeat', { principal: 'producer', pathParameters: group }))).toBe('FORBIDDEN');
    const commit = (topic: string) => json({ offsets: [{ topic, partition: 0, offset: 1 }] });
    expect(outcome(req('commitOffsets', { principal: 'consumer', pathParameters: group, body: commit('orders') }))).toBe('allowed');
    expect(outcome(req('commitOffsets', { principal: 'consumer', pathParameters: group, body: commit('payments') }))).toBe('FORBIDDEN');
    expect(outcome(req('fetchGroupOffsets', { principal: 'consumer', pathParameters: group, query: { topic: 'payments' } }))).toBe('FORBIDDEN');
    expect(outcome(req('fetchGroupOffsets', { principal: 'consumer', pathParameters: group, query: { topic: 'orders' } }))).toBe('allowed');
  });

  it('filters listings to what the principal has any right on', () => {
    const topics = { status: 200, body: { topics: [{ name: 'orders', partitions: 1 }, { name: 'payments', partitions: 1 }] } };
    expect(authorize(req('listTopics', { principal: 'producer' }), acl).filter(topics).body).toEqual({ topics: [{ name: 'orders', partitions: 1 }] });
    expect(authorize(req('listTopics', { principal: 'admin' }), acl).filter(topics).body).toEqual(topics.body);
    const groups = { status: 200, body: { groups: [{ group: 'billing', generation: 1, members: 1 }, { group: 'x', generation: 1, members: 1 }] } };
    expect(authorize(req('listGroups', { principal: 'consumer' }), acl).filter(groups).body).toEqual({ groups: [groups.body.groups[0]] });
    expect(authorize(req('listGroups', { principal: 'producer' }), acl).filter(groups).body).toEqual({ groups: [] });
  });
});
