import { describe, expect, it } from 'vitest';
import { basicAuthenticator } from '../../../lib/local/basic-auth';

const basic = (userPass: string) => `Basic ${Buffer.from(userPass).toString('base64')}`;

describe('basicAuthenticator', () => {
  it('lets everything through, with no principal, when unset', () => {
    expect(basicAuthenticator(undefined)(undefined)).toEqual({ ok: true });
    expect(basicAuthenticator('')(basic('x:y'))).toEqual({ ok: true });
  });

  it('one user:password; the password may contain colons', () => {
    const auth = basicAuthenticator('alice:pa:ss');
    expect(auth(basic('alice:pa:ss'))).toEqual({ ok: true, principal: 'alice' });
    expect(auth(basic('alice:pa'))).toEqual({ ok: false });
    expect(auth(basic('bob:pa:ss'))).toEqual({ ok: false });
    expect(auth(undefined)).toEqual({ ok: false });
    expect(auth('Bearer abc')).toEqual({ ok: false });
  });

  it('several users from a JSON object; each is its own principal', () => {
    const auth = basicAuthenticator('{"alice": "a-pw", "bob": "b-pw"}');
    expect(auth(basic('alice:a-pw'))).toEqual({ ok: true, principal: 'alice' });
    expect(auth(basic('bob:b-pw'))).toEqual({ ok: true, principal: 'bob' });
    expect(auth(basic('bob:a-pw'))).toEqual({ ok: false });
  });

  it.each(['nocolon', ':pw', '{"a": 1}', '{"a:b": "pw"}', '{}', '{bad json'])('refuses the setting %s', (setting) => {
    expect(() => basicAuthenticator(setting)).toThrow(/STREAMBED_BASIC_AUTH/);
  });
});
