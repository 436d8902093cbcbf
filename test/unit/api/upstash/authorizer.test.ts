import { describe, expect, it } from 'vitest';
import { upstashAuthorizer } from '../../../../lib/api/upstash/authorizer';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function authorizer(secret: string, clock = { t: 0 }) {
  let loads = 0;
  const check = upstashAuthorizer({
    loadSecret: async () => {
      loads += 1;
      return secret;
    },
    cacheMs: 1000,
    now: () => clock.t,
  });
  return { check, loads: () => loads };
}

describe('upstash authorizer', () => {
  const secret = JSON.stringify({ username: 'streambed', password: 'pw-123' });

  it('authorizes the secret credentials and names the user as principal', async () => {
    const { check } = authorizer(secret);
    expect(await check({ headers: { authorization: basic('streambed', 'pw-123') } })).toEqual({ isAuthorized: true, context: { principal: 'streambed' } });
  });

  it.each([
    ['a wrong password', { authorization: basic('streambed', 'pw-124') }],
    ['an unknown user', { authorization: basic('someone', 'pw-123') }],
    ['no header', {}],
    ['another scheme', { authorization: 'Bearer pw-123' }],
  ])('refuses %s', async (_, headers) => {
    const { check } = authorizer(secret);
    expect(await check({ headers })).toEqual({ isAuthorized: false });
  });

  it('takes several users, and any header-name case', async () => {
    const { check } = authorizer(JSON.stringify({ users: { a: 'pa', b: 'pb' } }));
    expect((await check({ headers: { Authorization: basic('b', 'pb') } })).isAuthorized).toBe(true);
    expect((await check({ headers: { authorization: basic('a', 'pb') } })).isAuthorized).toBe(false);
  });

  it('refuses everyone when the secret is malformed', async () => {
    const { check } = authorizer('not json');
    expect((await check({ headers: { authorization: basic('streambed', 'pw-123') } })).isAuthorized).toBe(false);
  });

  it('reads the secret once per cache period', async () => {
    const clock = { t: 0 };
    const { check, loads } = authorizer(secret, clock);
    await check({ headers: {} });
    clock.t = 999;
    await check({ headers: {} });
    expect(loads()).toBe(1);
    clock.t = 1000;
    await check({ headers: {} });
    expect(loads()).toBe(2);
  });
});
