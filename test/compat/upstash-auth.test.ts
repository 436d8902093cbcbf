/**
 * HTTP Basic auth of the Upstash routes on a local stack of its own (STREAMBED_BASIC_AUTH, with
 * STREAMBED_ACL): the unchanged @upstash/kafka client works with the right credentials; wrong
 * ones, and actions the ACL does not allow, get Upstash-shaped 401 / 403 bodies.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawnLocalStack, type LocalStackProcess } from '../helpers/local-stack-process';
import { uniqueTopic } from '../helpers/http';
import { kafkaAt, uniqueGroup } from './upstash-helpers';

const PASSWORDS = { app: 'app-PASSWORD-s3cret', ops: 'ops-PASSWORD-s3cret' };
const ACL = { app: { 'orders*': ['produce', 'fetch'], 'group:billing-*': ['consume'] }, ops: { '*': ['admin', 'fetch', 'produce'], 'group:*': ['consume'] } };
const ORDERS = uniqueTopic('orders');
const PAYMENTS = uniqueTopic('payments');

let dataDir: string;
let stack: LocalStackProcess;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'streambed-upstash-auth-'));
  stack = await spawnLocalStack({ dataDir, env: { STREAMBED_BASIC_AUTH: JSON.stringify(PASSWORDS), STREAMBED_ACL: JSON.stringify(ACL) } });
  for (const name of [ORDERS, PAYMENTS]) {
    const res = await raw('ops', PASSWORDS.ops, 'POST', '/v1/topics', { name, partitions: 1 });
    expect(res.status).toBe(201);
  }
});

afterAll(async () => {
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function raw(user: string, password: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(stack.url + path, {
    method,
    headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

it('the client with the right credentials produces, consumes and commits', async () => {
  const kafka = kafkaAt(stack.url, 'app', PASSWORDS.app);
  const res = await kafka.producer().produce(ORDERS, 'hello');
  expect(res).toMatchObject({ topic: ORDERS, offset: 0 });
  const group = uniqueGroup('billing-');
  const got = await kafka.consumer().consume({ consumerGroupId: group, instanceId: 'a', topics: [ORDERS], autoOffsetReset: 'earliest', timeout: 0 });
  expect(got.map((m) => m.value)).toEqual(['hello']);
  await kafka.consumer().commit({ consumerGroupId: group, instanceId: 'a' });
  // Listings show only what the user may see.
  const topics = await kafka.admin().topics();
  expect(topics[ORDERS]).toBe(1);
  expect(topics[PAYMENTS]).toBeUndefined();
});

it('a wrong password is 401 with an Upstash body and a Basic challenge', async () => {
  const res = await raw('app', 'wrong', 'POST', '/produce', { topic: ORDERS, value: 'x' });
  expect(res.status).toBe(401);
  expect(res.body).toEqual({ error: expect.stringMatching(/UNAUTHORIZED/), status: 401 });
  expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
});

it('what the ACL does not allow is 403, and nothing is written', async () => {
  const produce = await raw('app', PASSWORDS.app, 'POST', '/produce', [{ topic: PAYMENTS, value: 'x' }]);
  expect(produce).toMatchObject({ status: 403, body: { error: expect.stringMatching(/FORBIDDEN/), status: 403 } });
  const consume = await raw('app', PASSWORDS.app, 'POST', `/consume/${uniqueGroup('other-')}/a`, { topic: ORDERS, timeout: 0 });
  expect(consume.status).toBe(403);
  const fetch = await raw('app', PASSWORDS.app, 'POST', '/fetch', { topic: PAYMENTS, partition: 0, offset: 0, timeout: 0 });
  expect(fetch.status).toBe(403);
  const latest = await raw('ops', PASSWORDS.ops, 'POST', '/offsets/latest', [{ topic: PAYMENTS, partition: 0 }]);
  expect(latest.body).toEqual([{ topic: PAYMENTS, partition: 0, offset: 0 }]);
});
