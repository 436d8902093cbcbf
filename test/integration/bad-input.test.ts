/**
 * Bad input, fuzzed (DESIGN.md invariant 8): hostile bodies, paths, query strings and headers,
 * each answered with a 4xx whose body is the contract's `{"error": {"code", "message"}}` with an
 * API.md code, and none changing any state (topics, their partitions' offsets and config, groups).
 *
 * Runs on a stack of its own so "no state change" is exact: nothing else writes to it. Inputs are
 * drawn from a seeded PRNG; the seed is printed and STREAMBED_FUZZ_SEED=<seed> replays a run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS, type ErrorCode } from '../../lib/errors';
import { bodyRoutes, INVALID } from '../helpers/bad-bodies';
import { NUMBER_LITERALS, prng, seedFromEnv, type Prng } from '../helpers/fuzz';
import { spawnLocalStack, type LocalStackProcess } from '../helpers/local-stack-process';
import { rawRequest, type RawResponse } from '../helpers/raw-http';

const seed = seedFromEnv();
const r: Prng = prng(seed);
console.log(`bad-input seed ${seed} (replay: STREAMBED_FUZZ_SEED=${seed} npx vitest run test/integration/bad-input.test.ts)`);

const TOPIC = 'fuzz-target';
const TOPIC_PATH = `/v1/topics/${TOPIC}`;
const CODES = new Set(Object.keys(ERROR_STATUS));

interface Case {
  readonly name: string;
  readonly request: Buffer;
  /** Codes this case may get; default: any API.md code with a 4xx status. */
  readonly codes?: readonly ErrorCode[];
}

let stack: LocalStackProcess;
let dataDir: string;
let before: unknown;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'streambed-bad-input-'));
  stack = await spawnLocalStack({ dataDir, env: { STREAMBED_MAINTENANCE_INTERVAL_MS: '0', STREAMBED_ACL: undefined, STREAMBED_BASIC_AUTH: undefined } });
  expect((await send(req('POST', '/v1/topics', JSON.stringify({ name: TOPIC, partitions: 2 })))).status).toBe(201);
  const records = [{ key: 'a', value: 'one' }, { value: 'two', partition: 0 }, { value: 'three', partition: 1 }];
  expect((await send(req('POST', `${TOPIC_PATH}/records`, JSON.stringify({ records })))).status).toBe(200);
  before = await snapshot();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** An HTTP/1.1 request as bytes; `head` adds raw header lines. */
function req(method: string, path: string, body: string | Buffer = '', head: string[] = []): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Content-Type: application/json', `Content-Length: ${bytes.length}`, 'Connection: close', ...head];
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), bytes]);
}

const send = (request: Buffer): Promise<RawResponse> => rawRequest(stack.url, request);

async function snapshot(): Promise<unknown> {
  const get = async (path: string) => (await send(req('GET', path))).json() as any;
  const topics = ((await get('/v1/topics')).topics as Array<{ name: string }>).sort((a, b) => a.name.localeCompare(b.name));
  const details = await Promise.all(topics.map((t) => get(`/v1/topics/${encodeURIComponent(t.name)}`)));
  return { topics, details, groups: await get('/v1/groups') };
}

/** Sends every case (a few at a time) and returns what broke the contract. */
async function run(cases: readonly Case[]): Promise<string[]> {
  const problems: string[] = [];
  for (let i = 0; i < cases.length; i += 8) {
    await Promise.all(
      cases.slice(i, i + 8).map(async (c) => {
        let res: RawResponse;
        try {
          res = await send(c.request);
        } catch (err) {
          problems.push(`${c.name}: no HTTP response (${String(err)})`);
          return;
        }
        const body = res.json() as { error?: { code?: unknown; message?: unknown } } | undefined;
        const code = body?.error?.code;
        const why =
          res.status < 400 || res.status > 499
            ? `status ${res.status}`
            : typeof code !== 'string' || !CODES.has(code)
              ? `body ${res.body.toString('utf8').slice(0, 200)}`
              : typeof body?.error?.message !== 'string' || body.error.message === ''
                ? 'no message'
                : c.codes && !c.codes.includes(code as ErrorCode)
                  ? `code ${code}, expected ${c.codes.join('|')}`
                  : undefined;
        if (why) problems.push(`${c.name}: ${why} (seed ${seed})`);
      }),
    );
  }
  return problems;
}

const BODY_ROUTES = bodyRoutes(r, TOPIC);

describe(`bad input (seed ${seed})`, () => {
  it('bodies: random bytes, random JSON, broken fields, odd numbers, pollution keys', async () => {
    const cases: Case[] = [];
    for (const route of BODY_ROUTES) {
      const at = `${route.method} ${route.path}`;
      for (let i = 0; i < 8; i++) cases.push({ name: `${at} random bytes #${i}`, request: req(route.method, route.path, r.bytes(1 + r.int(300))), codes: INVALID });
      for (let i = 0; i < 12; i++) cases.push({ name: `${at} random JSON #${i}`, request: req(route.method, route.path, JSON.stringify(r.json(3)) ?? 'null'), codes: INVALID });
      for (const [what, mutate, codes] of route.breaks) {
        for (let i = 0; i < 2; i++) {
          const body = route.valid();
          mutate(body);
          cases.push({ name: `${at} ${what} ${JSON.stringify(body).slice(0, 120)}`, request: req(route.method, route.path, JSON.stringify(body)), codes });
        }
      }
      for (const literal of NUMBER_LITERALS) {
        const text = JSON.stringify({ ...route.valid(), zzz: 0 }).replace('"zzz":0', `"partitions":${literal},"partition":${literal},"offsets":${literal},"records":${literal},"topics":${literal}`);
        cases.push({ name: `${at} number ${literal.slice(0, 20)}`, request: req(route.method, route.path, text) });
      }
      cases.push({ name: `${at} empty body`, request: req(route.method, route.path, ''), codes: INVALID });
      cases.push({ name: `${at} invalid UTF-8`, request: req(route.method, route.path, Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d])), codes: INVALID });
      for (const depth of [65, 5_000, 1_000_000]) {
        cases.push({ name: `${at} nested ${depth}`, request: req(route.method, route.path, '['.repeat(depth) + ']'.repeat(depth)), codes: INVALID });
        cases.push({ name: `${at} nested objects ${depth}`, request: req(route.method, route.path, '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)), codes: INVALID });
      }
    }
    // Deep values where a field is expected: error messages that quote a value must not recurse into it.
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    for (const n of [65, 200_000]) {
      for (const [path, text] of [
        ['/v1/topics', `{"name":"fuzz-deep","config":{"retention.ms":${deep(n)}}}`],
        ['/v1/topics', `{"name":${deep(n)}}`],
        [`${TOPIC_PATH}/records`, `{"records":[{"value":${deep(n)}}]}`],
        [`${TOPIC_PATH}/records`, `{"records":[{"value":"x","partition":0}],"producer":{"id":"p","epoch":0,"sequences":{"0":${deep(n)}}}}`],
        ['/v1/groups/fuzz-group/members', `{"topics":${deep(n)}}`],
        ['/v1/groups/fuzz-group/offsets', `{"offsets":[{"topic":"${TOPIC}","partition":0,"offset":${deep(n)}}]}`],
      ] as const) {
        cases.push({ name: `POST ${path} deep field ${n}: ${text.slice(0, 60)}`, request: req('POST', path, text), codes: INVALID });
      }
    }
    cases.push({ name: 'heartbeat of an unknown member', request: req('POST', '/v1/groups/fuzz-group/members/nobody/heartbeat', JSON.stringify(r.json(2))), codes: ['INVALID_REQUEST', 'UNKNOWN_MEMBER_ID'] });
    expect(await run(cases)).toEqual([]);
  }, 120_000);

  it('paths: unicode, encoded slashes, dot segments, very long, malformed escapes', async () => {
    const hostile = [
      '/v1/topics/ørders/records',
      '/v1/topics/%C3%B8rders',
      '/v1/topics/a%2Fb/partitions/0/records',
      `/v1/topics/${TOPIC}%2F..`,
      '/v1/topics/..',
      '/v1/topics/%2e%2e',
      '/v1/topics/.',
      '/v1/topics/../topics',
      '/v1/../v1/topics/x/records',
      '//v1/topics',
      '/v1/topics/%',
      '/v1/topics/%E0%A4%A',
      '/v1/topics/%00',
      '/v1/topics/a%20b',
      '/v1/topics/%F0%9F%94%A5',
      `/v1/topics/${'a'.repeat(5_000)}`,
      `/v1/topics/${TOPIC}/partitions/-1/records`,
      `/v1/topics/${TOPIC}/partitions/1.5/offsets`,
      `/v1/topics/${TOPIC}/partitions/99999999999999999999/records`,
      `/v1/topics/${TOPIC}/partitions/%31%30%30/records`,
      '/v1/groups/a%20b/members',
      '/v1/groups/a%2Fb/offsets',
      '/v1',
      '/',
      '*',
      `/v1/topics/${TOPIC}/records/extra`,
    ];
    const cases: Case[] = [];
    for (const path of hostile) {
      for (const method of ['GET', 'POST', 'DELETE']) cases.push({ name: `${method} ${path.slice(0, 80)}`, request: req(method, path, method === 'POST' ? '{"records":[{"value":"x"}],"name":"x/y"}' : '') });
    }
    cases.push({ name: 'path over the header limit', request: req('GET', `/v1/topics/${'a'.repeat(20_000)}`), codes: ['REQUEST_TOO_LARGE'] });
    cases.push({ name: 'raw UTF-8 bytes in the path', request: Buffer.concat([Buffer.from('GET /v1/topics/'), Buffer.from('ørders\u00ff', 'utf8'), Buffer.from(' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')]) });
    cases.push({ name: 'invalid UTF-8 bytes in the path', request: Buffer.concat([Buffer.from('GET /v1/topics/'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')]) });
    expect(await run(cases)).toEqual([]);
  }, 120_000);

  it('query strings: repeated, empty, unicode, huge, malformed', async () => {
    const records = `${TOPIC_PATH}/partitions/0/records`;
    const offsets = `${TOPIC_PATH}/partitions/0/offsets`;
    const OFFSET = ['INVALID_OFFSET', 'INVALID_REQUEST', 'OFFSET_OUT_OF_RANGE'] as const;
    const queries: Array<[string, readonly ErrorCode[]]> = [
      [`${records}`, OFFSET],
      [`${records}?`, OFFSET],
      [`${records}?offset=`, OFFSET],
      [`${records}?offset=0&offset=-5`, OFFSET],
      [`${records}?offset=0&offset=abc`, OFFSET],
      [`${records}?offset=%D9%A3`, OFFSET],
      [`${records}?offset=%ZZ`, OFFSET],
      [`${records}?offset=0x10`, OFFSET],
      [`${records}?offset=%2B1`, OFFSET],
      [`${records}?offset=1e3`, OFFSET],
      [`${records}?offset=NaN`, OFFSET],
      [`${records}?offset=99999999999999999999999`, OFFSET],
      [`${records}?offset=999999`, ['OFFSET_OUT_OF_RANGE']],
      [`${records}?offset=0&maxRecords=-1`, INVALID],
      [`${records}?offset=0&maxRecords=1.5`, INVALID],
      [`${records}?offset=0&maxBytes=0`, INVALID],
      [`${records}?offset=0&waitMs=-1`, INVALID],
      [`${records}?offset=0&encoding=utf16`, INVALID],
      [`${records}?offset=0&encoding=%F0%9F%94%A5`, INVALID],
      [`${records}?offset=0&encoding=utf8&encoding=`, INVALID],
      [`${records}?offset=abc&${'pad=1&'.repeat(1_200)}`, OFFSET],
      [`${records}?offset=0&pad=${'x'.repeat(20_000)}`, ['REQUEST_TOO_LARGE']],
      [`${offsets}`, INVALID],
      [`${offsets}?at=`, INVALID],
      [`${offsets}?at=NaN`, INVALID],
      [`${offsets}?at=-1`, INVALID],
      [`${offsets}?at=LATEST`, INVALID],
      [`${offsets}?at=Infinity`, INVALID],
      [`${offsets}?at=1e3`, INVALID],
      [`${offsets}?at=99999999999999999999999`, INVALID],
      ['/v1/groups/fuzz-group/offsets?topic=a%2Fb', ['INVALID_REQUEST', 'INVALID_TOPIC', 'UNKNOWN_TOPIC_OR_PARTITION']],
      ['/v1/groups/fuzz-group/offsets?topic=%00', ['INVALID_REQUEST', 'INVALID_TOPIC', 'UNKNOWN_TOPIC_OR_PARTITION']],
      ['/v1/groups/fuzz-group/offsets?topic=no-such-topic', ['UNKNOWN_TOPIC_OR_PARTITION']],
    ];
    expect(await run(queries.map(([path, codes]) => ({ name: `GET ${path.slice(0, 100)}`, request: req('GET', path), codes })))).toEqual([]);
  }, 60_000);

  it('headers and framing: huge, many, control characters, invalid UTF-8, unknown methods', async () => {
    const bad = JSON.stringify({ records: 'x' });
    const produce = `${TOPIC_PATH}/records`;
    const cases: Case[] = [
      { name: 'one 12 KiB header', request: req('GET', '/v1/topics', '', [`X-Big: ${'a'.repeat(12 * 1024)}`]), codes: ['REQUEST_TOO_LARGE'] },
      { name: '400 headers', request: req('GET', '/v1/topics', '', Array.from({ length: 400 }, (_, i) => `X-H${i}: ${'v'.repeat(40)}`)), codes: ['REQUEST_TOO_LARGE'] },
      { name: 'control character in a header value', request: req('POST', produce, bad, ['X-Ctl: a\x01b']), codes: INVALID },
      { name: 'space in a header name', request: req('POST', produce, bad, ['Bad Header: x']), codes: INVALID },
      { name: 'invalid UTF-8 in a header value', request: Buffer.concat([req('POST', produce, bad, []).subarray(0, -4 - bad.length), Buffer.from('\r\nX-Bin: '), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(`\r\n\r\n${bad}`)]), codes: INVALID },
      { name: 'unknown method', request: req('FOO', '/v1/topics'), codes: INVALID },
      { name: 'lower-case method', request: req('get', '/v1/topics'), codes: INVALID },
      { name: 'content-length not a number', request: Buffer.from('POST /v1/topics HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n{}'), codes: INVALID },
      { name: 'two different content-lengths', request: Buffer.from('POST /v1/topics HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{}'), codes: INVALID },
      { name: 'broken chunked framing', request: Buffer.from(`POST ${produce} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`), codes: INVALID },
      { name: 'garbage authorization on a bad request', request: req('POST', produce, bad, ['Authorization: Basic %%%', 'Authorization: Bearer']), codes: INVALID },
      { name: 'wrong content type on a bad body', request: req('POST', produce, '<xml/>', ['Content-Type: text/xml']), codes: INVALID },
    ];
    expect(await run(cases)).toEqual([]);
  }, 60_000);

  it('changed nothing: topics, offsets, configs and groups are as before; the stack still serves', async () => {
    expect(await snapshot()).toEqual(before);
    expect((await send(req('GET', '/v1/health'))).status).toBe(200);
    const summary = (await send(req('GET', '/v1/metrics'))).json() as { metrics: Array<{ name: string; dimensions: Record<string, string> }> };
    const serverErrors = summary.metrics.filter((m) => m.name === 'Errors' && ERROR_STATUS[m.dimensions.Code as ErrorCode] >= 500);
    expect(serverErrors).toEqual([]);
  }, 60_000);
});
