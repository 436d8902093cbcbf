/**
 * Authentication and per-topic authorization of the local stack over HTTP, on a stack of its own
 * (STREAMBED_BASIC_AUTH with several users + STREAMBED_ACL), and what its logs contain: every
 * refused request is logged with its code and principal, and no password, Authorization header or
 * record value ever is.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnLocalStack, type LocalStackProcess } from '../../helpers/local-stack-process';
import { uniqueTopic } from '../../helpers/http';

const PASSWORDS = { alice: 'alice-PASSWORD-s3cret', ops: 'ops-PASSWORD-s3cret', idle: 'idle-PASSWORD-s3cret' } as const;
type User = keyof typeof PASSWORDS;
const ACL = {
  alice: { 'orders*': ['produce', 'fetch'], 'group:billing-*': ['consume'] },
  ops: { '*': ['admin', 'fetch'], 'group:*': ['consume'] },
  idle: {},
};
const SECRET_VALUE = 'sk_live_RECORD_VALUE_never_logged_0451';

const ORDERS = uniqueTopic('orders');
const PAYMENTS = uniqueTopic('payments');

let dataDir: string;
let stack: LocalStackProcess;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'streambed-auth-'));
  stack = await spawnLocalStack({
    dataDir,
    env: {
      STREAMBED_BASIC_AUTH: JSON.stringify(PASSWORDS),
      STREAMBED_ACL: JSON.stringify(ACL),
      STREAMBED_LOG_LEVEL: 'debug',
      STREAMBED_LOG_REQUESTS: '1',
    },
  });
  for (const name of [ORDERS, PAYMENTS]) expect((await call('ops', 'POST', '/v1/topics', { name, partitions: 2 })).status).toBe(201);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function call(as: User | { header?: string }, method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const auth = typeof as === 'string' ? basic(as, PASSWORDS[as]) : as.header;
  if (auth !== undefined) headers.authorization = auth;
  const res = await fetch(stack.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const produce = (as: User, topic: string) => call(as, 'POST', `/v1/topics/${topic}/records`, { records: [{ value: SECRET_VALUE, partition: 0 }] });
const highWatermark = async (topic: string) => (await call('ops', 'GET', `/v1/topics/${topic}`)).body.partitions[0].highWatermark as number;

describe('authentication', () => {
  it.each([
    ['no credentials', {}],
    ['a wrong password', { header: basic('alice', 'wrong') }],
    ['an unknown user', { header: basic('mallory', PASSWORDS.alice) }],
    ['another user’s password', { header: basic('alice', PASSWORDS.ops) }],
    ['a bearer token', { header: 'Bearer abc' }],
  ])('401 UNAUTHORIZED for %s, with a Basic challenge', async (_, as) => {
    const res = await call(as, 'GET', '/v1/topics');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });

  it('401 also on the local metrics summary', async () => {
    expect((await call({}, 'GET', '/v1/metrics')).status).toBe(401);
    expect((await call('idle', 'GET', '/v1/metrics')).status).toBe(200);
  });
});

describe('per-topic authorization (STREAMBED_ACL)', () => {
  it('a producer/consumer of orders* may produce to and fetch from orders*', async () => {
    const res = await produce('alice', ORDERS);
    expect(res.status).toBe(200);
    const fetched = await call('alice', 'GET', `/v1/topics/${ORDERS}/partitions/0/records?offset=0`);
    expect(fetched.status).toBe(200);
    expect(fetched.body.records.map((r: any) => r.value)).toContain(SECRET_VALUE);
    expect((await call('alice', 'GET', `/v1/topics/${ORDERS}`)).status).toBe(200);
  });

  it('403 FORBIDDEN, and nothing written, outside its topics or actions', async () => {
    const before = await highWatermark(PAYMENTS);
    for (const [method, path, body] of [
      ['POST', `/v1/topics/${PAYMENTS}/records`, { records: [{ value: SECRET_VALUE }] }],
      ['GET', `/v1/topics/${PAYMENTS}/partitions/0/records?offset=0`, undefined],
      ['GET', `/v1/topics/${PAYMENTS}/partitions/0/offsets?at=latest`, undefined],
      ['GET', `/v1/topics/${PAYMENTS}`, undefined],
      ['DELETE', `/v1/topics/${ORDERS}`, undefined],
      ['POST', '/v1/topics', { name: `${ORDERS}-new` }],
    ] as const) {
      const res = await call('alice', method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect(res.body.error.message).toMatch(/alice/);
    }
    expect(await highWatermark(PAYMENTS)).toBe(before);
    expect((await call('ops', 'GET', '/v1/topics')).body.topics.map((t: any) => t.name)).not.toContain(`${ORDERS}-new`);
    expect((await call('ops', 'GET', `/v1/topics/${ORDERS}`)).status).toBe(200);
  });

  it('403 before 404: a forbidden topic that does not exist is not revealed', async () => {
    const res = await call('alice', 'GET', '/v1/topics/no-such-topic/partitions/0/records?offset=0');
    expect(res.status).toBe(403);
  });

  it('a principal with an empty entry may do nothing but check health', async () => {
    expect((await call('idle', 'GET', '/v1/health')).status).toBe(200);
    expect((await produce('idle', ORDERS)).status).toBe(403);
    expect((await call('idle', 'GET', '/v1/topics')).body).toEqual({ topics: [] });
  });

  it('topic listings are filtered to what the principal may use', async () => {
    const names = (await call('alice', 'GET', '/v1/topics')).body.topics.map((t: any) => t.name);
    expect(names).toContain(ORDERS);
    expect(names).not.toContain(PAYMENTS);
    const all = (await call('ops', 'GET', '/v1/topics')).body.topics.map((t: any) => t.name);
    expect(all).toEqual(expect.arrayContaining([ORDERS, PAYMENTS]));
  });

  it('consumer groups: consume on the group, and describe on the topics it subscribes to', async () => {
    const join = (as: User, group: string, topics: string[]) => call(as, 'POST', `/v1/groups/${group}/members`, { topics, sessionTimeoutMs: 10_000 });
    const ok = await join('alice', 'billing-1', [ORDERS]);
    expect(ok.status).toBe(200);
    expect((await join('alice', 'other', [ORDERS])).status).toBe(403);
    expect((await join('alice', 'billing-2', [PAYMENTS])).status).toBe(403);
    const commit = await call('alice', 'POST', '/v1/groups/billing-1/offsets', { offsets: [{ topic: PAYMENTS, partition: 0, offset: 0 }] });
    expect(commit.status).toBe(403);
    const groups = (await call('alice', 'GET', '/v1/groups')).body.groups.map((g: any) => g.group);
    expect(groups.every((g: string) => g.startsWith('billing-'))).toBe(true);
  });
});

describe('logs and metrics of refused requests', () => {
  it('count FORBIDDEN by code in the metrics summary', async () => {
    const summary = (await call('ops', 'GET', '/v1/metrics')).body;
    const forbidden = summary.metrics.filter((m: any) => m.name === 'Errors' && m.dimensions.Code === 'FORBIDDEN');
    expect(forbidden.reduce((n: number, m: any) => n + m.sum, 0)).toBeGreaterThanOrEqual(6);
    expect(forbidden.map((m: any) => m.dimensions.Role)).toEqual(expect.arrayContaining(['produce', 'fetch', 'admin']));
  });

  it('log every request, refused ones with code and principal, and never a credential or a record value', () => {
    const output = stack.output();
    const lines = output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => l.msg === 'request refused' && l.code === 'FORBIDDEN' && l.principal === 'alice')).toBe(true);
    expect(lines.some((l) => l.msg === 'request' && l.operation === 'produce' && l.status === 200)).toBe(true);
    for (const [user, password] of Object.entries(PASSWORDS)) {
      expect(output.includes(password), `${user}'s password`).toBe(false);
      expect(output.includes(Buffer.from(`${user}:${password}`).toString('base64')), `${user}'s Authorization header`).toBe(false);
    }
    expect(output.includes(SECRET_VALUE)).toBe(false);
  });
});

describe('start-up checks', () => {
  it.each([
    ['an ACL without Basic auth', { STREAMBED_ACL: JSON.stringify(ACL), STREAMBED_BASIC_AUTH: undefined }, /STREAMBED_ACL needs STREAMBED_BASIC_AUTH/],
    ['a malformed ACL', { STREAMBED_ACL: '{"alice": {"orders": ["write"]}}', STREAMBED_BASIC_AUTH: 'alice:pw' }, /STREAMBED_ACL: "alice" → "orders": actions must be/],
  ])('refuse to start with %s, saying why', async (_, env, message) => {
    const dir = await mkdtemp(join(tmpdir(), 'streambed-auth-bad-'));
    try {
      await expect(spawnLocalStack({ dataDir: dir, env })).rejects.toThrow(message);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
