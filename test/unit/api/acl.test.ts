import { describe, expect, it } from 'vitest';
import { AclError, aclAllows, aclAllowsAny, aclFromEnv, parseAcl, patternMatcher } from '../../../lib/api/acl';

describe('ACL patterns', () => {
  it('* stands for any run of name characters; everything else is literal', () => {
    const m = patternMatcher('orders*');
    expect(m('orders')).toBe(true);
    expect(m('orders-eu.v2')).toBe(true);
    expect(m('order')).toBe(false);
    expect(m('xorders')).toBe(false);
    expect(patternMatcher('a.b')('aXb')).toBe(false);
    expect(patternMatcher('*-dlq')('orders-dlq')).toBe(true);
    expect(patternMatcher('*')('anything')).toBe(true);
  });
});

describe('parseAcl', () => {
  const acl = parseAcl(
    JSON.stringify({
      alice: { 'orders*': ['produce', 'fetch'], 'group:billing-*': ['consume'] },
      ops: { '*': ['admin'] },
      nobody: {},
    }),
  );

  it('allows exactly the listed actions on matching names', () => {
    expect(aclAllows(acl, 'alice', 'topic', 'orders-eu', 'produce')).toBe(true);
    expect(aclAllows(acl, 'alice', 'topic', 'orders-eu', 'admin')).toBe(false);
    expect(aclAllows(acl, 'alice', 'topic', 'payments', 'fetch')).toBe(false);
    expect(aclAllows(acl, 'alice', 'group', 'billing-1', 'consume')).toBe(true);
    expect(aclAllows(acl, 'alice', 'group', 'orders-eu', 'consume')).toBe(false); // topic patterns are not group patterns
    expect(aclAllows(acl, 'ops', 'topic', 'x', 'admin')).toBe(true);
    expect(aclAllows(acl, 'mallory', 'topic', 'orders', 'fetch')).toBe(false);
  });

  it('any right on a topic lets a principal see it', () => {
    expect(aclAllowsAny(acl, 'alice', 'topic', 'orders')).toBe(true);
    expect(aclAllowsAny(acl, 'alice', 'topic', 'payments')).toBe(false);
    expect(aclAllowsAny(acl, 'nobody', 'topic', 'orders')).toBe(false);
  });

  it.each([
    ['not JSON', '{'],
    ['an array', '[]'],
    ['a principal mapped to a list', '{"a": ["produce"]}'],
    ['an unknown action', '{"a": {"t": ["write"]}}'],
    ['a group action on a topic', '{"a": {"t": ["consume"]}}'],
    ['a topic action on a group', '{"a": {"group:g": ["produce"]}}'],
    ['a pattern with a slash', '{"a": {"t/x": ["fetch"]}}'],
    ['an empty pattern', '{"a": {"": ["fetch"]}}'],
    ['an empty principal', '{"": {"t": ["fetch"]}}'],
  ])('refuses %s with a message naming STREAMBED_ACL', (_, text) => {
    expect(() => parseAcl(text)).toThrow(AclError);
    expect(() => parseAcl(text)).toThrow(/STREAMBED_ACL/);
  });

  it('reads STREAMBED_ACL inline, is off when unset, and says which file it cannot read', () => {
    expect(aclFromEnv({})).toBeUndefined();
    expect(aclFromEnv({ STREAMBED_ACL: '{"u": {"t": ["fetch"]}}' })?.principals.has('u')).toBe(true);
    expect(() => aclFromEnv({ STREAMBED_ACL: '/nonexistent/acl.json' })).toThrow(/\/nonexistent\/acl\.json/);
  });
});
