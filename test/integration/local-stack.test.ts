/**
 * The local stack itself: the HTTP front door (routing errors, the 6 MiB limit, the API Gateway
 * event it builds, graceful close) and the process around it (ready line, ports, persistence across
 * a clean restart and across kill -9, one stack per data directory).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, afterEach, describe, expect, inject, it, vi } from 'vitest';
import { createLocalServer, type LambdaHttpHandler, type LocalServer } from '../../lib/local/server';
import { createClients, storageConfigFromEnv } from '../../lib/storage/clients';
import { LOCAL_NAMES } from '../../lib/storage/schema';
import { api } from '../helpers/http';
import { spawnLocalStack, type LocalStackProcess } from '../helpers/local-stack-process';

const MiB = 1024 * 1024;
const embedded = !process.env.AWS_ENDPOINT_URL;

describe('the HTTP front door', () => {
  const http = api(inject('baseUrl'));

  it('answers /v1/health', async () => {
    const res = await http.get('/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('apigw-requestid')).toBeTruthy();
  });

  it('refuses an unknown route with 404 INVALID_REQUEST', async () => {
    const res = await http.get('/v1/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
    expect(res.body.error.message).toMatch(/no route/);
  });

  it('refuses a known path with the wrong method with 405 INVALID_REQUEST', async () => {
    const res = await http.del('/v1/health');
    expect(res.status).toBe(405);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
  });

  it('refuses a body over 6 MiB with 413 REQUEST_TOO_LARGE (declared length)', async () => {
    const res = await http.raw('POST', '/v1/topics', Buffer.alloc(6 * MiB + 1, 0x20));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('REQUEST_TOO_LARGE');
  });

  it('refuses a streamed (chunked) body once it passes 6 MiB', async () => {
    const chunk = new Uint8Array(MiB).fill(0x20);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 7) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await fetch(`${http.url}/v1/topics`, { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('REQUEST_TOO_LARGE');
  });

  it('still serves after refusing large bodies', async () => {
    expect((await http.get('/v1/health')).status).toBe(200);
  });
});

describe('the API Gateway v2 event and Lambda context', () => {
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close(1_000);
    server = undefined;
  });

  async function serve(handler: LambdaHttpHandler, timeoutMs?: number, basicAuth?: string): Promise<number> {
    server = createLocalServer({ loadHandler: async () => handler, timeoutMs, basicAuth, logRequests: false });
    return server.listen(0);
  }

  function send(port: number, method: string, path: string, headers: Record<string, string | string[]>, body?: Buffer) {
    return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (s: string) => (text += s));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('builds the payload-2.0 event API Gateway would send, and reads the result as it would', async () => {
    const seen: { event?: APIGatewayProxyEventV2; context?: Context; remaining?: number } = {};
    const port = await serve(async (event, context) => {
      Object.assign(seen, { event, context, remaining: context.getRemainingTimeInMillis() });
      return { statusCode: 201, headers: { 'X-Echo': 'yes' }, cookies: ['a=1', 'b=2'], body: Buffer.from('hé').toString('base64'), isBase64Encoded: true };
    });
    const res = await send(port, 'POST', '/v1/topics/my%20topic/records?x=1&x=2&y=%2F', {
      'X-Dup': ['one', 'two'],
      cookie: 'c1=v1; c2=v2',
      'user-agent': 'local-test',
      'content-type': 'application/json',
    }, Buffer.from('{"records":[]}'));

    expect(res.status).toBe(201);
    expect(res.body).toBe('hé');
    expect(res.headers['x-echo']).toBe('yes');
    expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2']);

    const e = seen.event!;
    expect(e.version).toBe('2.0');
    expect(e.routeKey).toBe('POST /v1/topics/{topic}/records');
    expect(e.rawPath).toBe('/v1/topics/my%20topic/records');
    expect(e.rawQueryString).toBe('x=1&x=2&y=%2F');
    expect(e.queryStringParameters).toEqual({ x: '1,2', y: '/' });
    expect(e.pathParameters).toEqual({ topic: 'my topic' });
    expect(e.cookies).toEqual(['c1=v1', 'c2=v2']);
    expect(e.headers['x-dup']).toBe('one,two');
    expect(e.headers.cookie).toBeUndefined();
    expect(e.headers['content-type']).toBe('application/json');
    expect(e.isBase64Encoded).toBe(true);
    expect(Buffer.from(e.body!, 'base64').toString()).toBe('{"records":[]}');
    expect(e.requestContext).toMatchObject({
      apiId: 'local',
      routeKey: 'POST /v1/topics/{topic}/records',
      stage: '$default',
      http: { method: 'POST', path: '/v1/topics/my%20topic/records', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'local-test' },
    });
    expect(e.requestContext.time).toMatch(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    expect(Math.abs(e.requestContext.timeEpoch - Date.now())).toBeLessThan(5_000);
    expect(res.headers['apigw-requestid']).toBe(e.requestContext.requestId);

    expect(seen.context!.functionName).toBe('streambed-produce');
    expect(seen.context!.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen.remaining).toBeGreaterThan(25_000);
    expect(seen.remaining).toBeLessThanOrEqual(30_000);
  });

  it('sends no body and no path parameters when there are none', async () => {
    let event: APIGatewayProxyEventV2 | undefined;
    const port = await serve(async (e) => {
      event = e;
      return { statusCode: 204 };
    });
    const res = await send(port, 'GET', '/v1/health', {});
    expect(res.status).toBe(204);
    expect(event!.body).toBeUndefined();
    expect(event!.isBase64Encoded).toBe(false);
    expect(event!.pathParameters).toBeUndefined();
    expect(event!.queryStringParameters).toBeUndefined();
    expect(event!.cookies).toBeUndefined();
  });

  it('answers 503 UNAVAILABLE when the function outlives its timeout', async () => {
    const port = await serve(() => new Promise((r) => setTimeout(() => r({ statusCode: 200 }), 1_000)), 100);
    const res = await send(port, 'GET', '/v1/health', {});
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body).error.code).toBe('UNAVAILABLE');
  });

  it('asks for HTTP Basic credentials when STREAMBED_BASIC_AUTH is set', async () => {
    const port = await serve(async () => ({ statusCode: 200, body: 'in' }), undefined, 'alice:s3cret');
    const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
    const none = await send(port, 'GET', '/v1/health', {});
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).error.code).toBe('UNAUTHORIZED');
    expect(none.headers['www-authenticate']).toMatch(/^Basic realm="streambed"/);
    expect((await send(port, 'GET', '/v1/health', { authorization: basic('alice:wrong') })).status).toBe(401);
    expect(await send(port, 'GET', '/v1/health', { authorization: basic('alice:s3cret') })).toMatchObject({ status: 200, body: 'in' });
  });

  it('close() lets an in-flight request finish', async () => {
    const port = await serve(() => new Promise((r) => setTimeout(() => r({ statusCode: 200, body: 'done' }), 300)));
    const pending = send(port, 'GET', '/v1/health', {});
    await new Promise((r) => setTimeout(r, 50));
    expect(server!.inFlight()).toBe(1);
    const closing = server!.close(5_000);
    const res = await pending;
    await closing;
    server = undefined;
    expect(res).toMatchObject({ status: 200, body: 'done' });
  });
});

describe.skipIf(!embedded)('the local stack process', () => {
  const dirs: string[] = [];
  const running: LocalStackProcess[] = [];
  afterAll(async () => {
    await Promise.all(running.map((s) => s.kill9()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  async function start(dataDir: string, env?: Record<string, string>): Promise<LocalStackProcess> {
    const stack = await spawnLocalStack({ dataDir, env });
    running.push(stack);
    return stack;
  }

  async function clientsOf(stack: LocalStackProcess) {
    const { s3, dynamodb } = await stack.endpoints();
    return createClients(storageConfigFromEnv({ STREAMBED_S3_ENDPOINT: s3, STREAMBED_DYNAMODB_ENDPOINT: dynamodb }));
  }

  async function readBack(stack: LocalStackProcess): Promise<{ object: string; item: unknown }> {
    const clients = await clientsOf(stack);
    try {
      const obj = await clients.s3.send(new GetObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: 'test/persist.txt' }));
      const item = await clients.doc.send(new GetCommand({ TableName: LOCAL_NAMES.tables.topics, Key: { name: 'persist-check' } }));
      return { object: (await obj.Body?.transformToString()) ?? '', item: item.Item };
    } finally {
      clients.s3.destroy();
      clients.dynamo.destroy();
    }
  }

  it('keeps S3 objects and DynamoDB items across a restart and across kill -9', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'streambed-persist-'));
    dirs.push(dataDir);

    const first = await start(dataDir);
    const clients = await clientsOf(first);
    await clients.s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: 'test/persist.txt', Body: Buffer.from('kept') }));
    await clients.doc.send(new PutCommand({ TableName: LOCAL_NAMES.tables.topics, Item: { name: 'persist-check', partitions: 3 } }));
    clients.s3.destroy();
    clients.dynamo.destroy();
    expect(await first.stop()).toEqual({ code: 0, signal: null });

    const second = await start(dataDir);
    expect(await readBack(second)).toEqual({ object: 'kept', item: { name: 'persist-check', partitions: 3 } });
    expect((await second.kill9()).signal).toBe('SIGKILL');

    const third = await start(dataDir);
    expect((await api(third.url).get('/v1/health')).status).toBe(200);
    expect(await readBack(third)).toEqual({ object: 'kept', item: { name: 'persist-check', partitions: 3 } });
    expect((await third.stop()).code).toBe(0);
  });

  it('refuses a second stack on a data directory in use', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'streambed-lock-'));
    dirs.push(dataDir);
    const first = await start(dataDir);
    await expect(spawnLocalStack({ dataDir })).rejects.toThrow(/in use by another local stack \(pid \d+\)/);
    expect((await api(first.url).get('/v1/health')).status).toBe(200);
    await first.stop();
  });

  it('exits 1 with a clear message when its port is taken', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'streambed-port-'));
    dirs.push(dataDir);
    const port = new URL(inject('baseUrl')).port;
    await expect(spawnLocalStack({ dataDir, env: { PORT: port } })).rejects.toThrow(
      new RegExp(`exited \\(code 1.*port ${port} on 127\\.0\\.0\\.1 is already in use.*set PORT`, 's'),
    );
  });
});
