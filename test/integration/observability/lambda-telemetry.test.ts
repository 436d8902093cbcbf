/**
 * The Lambda handlers as deployed (lib/api/lambda-adapter.ts → Powertools Logger + EMF metrics)
 * over real storage (in-process emulators): what reaches stdout/stderr — CloudWatch Logs on
 * Lambda — carries the metrics, and carries no credential and no record content.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { lambdaHandler } from '../../../lib/api/lambda-adapter';
import { storageEnv } from '../../../lib/storage/clients';
import { emulatedStorage, type EmulatedStorage } from '../../helpers/emulated-storage';

let env: EmulatedStorage;
const saved = { ...process.env };

beforeAll(async () => {
  env = await emulatedStorage();
  // The handlers build their clients from process.env, as on Lambda.
  Object.assign(process.env, storageEnv(env.clients.config), { POWERTOOLS_LOG_LEVEL: 'DEBUG' });
  if (!process.env.AWS_ENDPOINT_URL) Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' });
  delete process.env.STREAMBED_RUNTIME;
  delete process.env.STREAMBED_ACL;
}, 60_000);

afterAll(async () => {
  process.env = saved;
  await env?.stop();
});

/** Everything the handlers write to stdout and stderr while `fn` runs. */
async function captured(fn: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const grab = (chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(grab);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(grab);
  try {
    await fn();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return chunks.join('');
}

let seq = 0;
function event(method: string, routeKey: string, rawPath: string, body?: string, headers: Record<string, string> = {}, pathParameters?: Record<string, string>, rawQueryString = ''): APIGatewayProxyEventV2 {
  seq += 1;
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    headers: { 'content-type': 'application/json', ...headers },
    requestContext: { http: { method, path: rawPath }, requestId: `req-${seq}` } as APIGatewayProxyEventV2['requestContext'],
    pathParameters,
    body,
    isBase64Encoded: false,
  };
}

const topic = `telemetry-${process.pid}-${Date.now().toString(36)}`;
const admin = lambdaHandler('admin');
const produce = lambdaHandler('produce');
const fetchRecords = lambdaHandler('fetch');

/** Parsed JSON lines (EMF and logs); other text ignored. */
function jsonLines(output: string): Array<Record<string, any>> {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, any>);
}

const emf = (lines: Array<Record<string, any>>, name: string, dims: Record<string, string>) =>
  lines.filter((l) => l._aws && l[name] !== undefined && Object.entries(dims).every(([k, v]) => l[k] === v));

describe('EMF metrics from the Lambda handlers', () => {
  beforeAll(async () => {
    const res = await admin(event('POST', 'POST /v1/topics', '/v1/topics', JSON.stringify({ name: topic, partitions: 1 })));
    expect(res.statusCode).toBe(201);
  });

  it('produce: requests, latency, records and bytes in, by role and operation', async () => {
    const body = JSON.stringify({ records: [{ key: 'k1', value: 'abc' }, { value: 'defgh', headers: [{ key: 'h', value: 'v' }] }] });
    const output = await captured(async () => {
      const res = await produce(event('POST', 'POST /v1/topics/{topic}/records', `/v1/topics/${topic}/records`, body, {}, { topic }));
      expect(res.statusCode).toBe(200);
    });
    const lines = jsonLines(output);
    const [m] = emf(lines, 'RecordsIn', { Role: 'produce', Operation: 'produce' });
    expect(m).toMatchObject({ Requests: 1, RecordsIn: 2, BytesIn: 2 + 3 + 5 + 1 + 1 });
    expect(m.Latency).toBeGreaterThan(0);
    expect(m._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Streambed', Dimensions: [['Role', 'Operation']] });
  });

  it('fetch: records and bytes out', async () => {
    const output = await captured(async () => {
      const res = await fetchRecords(
        event('GET', 'GET /v1/topics/{topic}/partitions/{partition}/records', `/v1/topics/${topic}/partitions/0/records`, undefined, {}, { topic, partition: '0' }, 'offset=0'),
      );
      expect(res.statusCode).toBe(200);
    });
    const [m] = emf(jsonLines(output), 'RecordsOut', { Role: 'fetch', Operation: 'fetch' });
    expect(m).toMatchObject({ Requests: 1, RecordsOut: 2, BytesOut: 12 });
  });

  it('errors by code, with a log line that names the code', async () => {
    const output = await captured(async () => {
      const res = await fetchRecords(
        event('GET', 'GET /v1/topics/{topic}/partitions/{partition}/records', '/v1/topics/nope/partitions/0/records', undefined, {}, { topic: 'no-such-topic-x', partition: '0' }, 'offset=0'),
      );
      expect(res.statusCode).toBe(404);
    });
    const lines = jsonLines(output);
    expect(emf(lines, 'Errors', { Role: 'fetch', Operation: 'fetch', Code: 'UNKNOWN_TOPIC_OR_PARTITION' })).toHaveLength(1);
    const log = lines.find((l) => l.message === 'request refused');
    expect(log).toMatchObject({ level: 'INFO', service: 'streambed', role: 'fetch', operation: 'fetch', status: 404, code: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });
});

describe('no secrets in the logs', () => {
  const SECRETS = {
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    signature: '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    sessionToken: 'FwoGZXIvYXdzEXAMPLEsessionTOKEN0123456789',
    password: 'hunter2-correct-horse',
    cookie: 'SESSIONcookieSECRET42',
    value: 'sk_live_RECORDvalueSECRET_31337',
    key: 'customer-KEYsecret-777',
    header: 'HEADERvalueSECRET-888',
  };
  const basic = Buffer.from(`alice:${SECRETS.password}`).toString('base64');
  const headers = {
    authorization: `AWS4-HMAC-SHA256 Credential=${SECRETS.accessKeyId}/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${SECRETS.signature}`,
    'x-amz-security-token': SECRETS.sessionToken,
    'proxy-authorization': `Basic ${basic}`,
    cookie: `session=${SECRETS.cookie}`,
  };

  it('requests carrying credentials and secret-looking records leave no trace of either', async () => {
    const good = JSON.stringify({ records: [{ key: SECRETS.key, value: SECRETS.value, headers: [{ key: 'h', value: SECRETS.header }] }] });
    const malformed = `{"records": [{"value": "${SECRETS.value}", "key": ${SECRETS.key}}]`;
    const output = await captured(async () => {
      const route = 'POST /v1/topics/{topic}/records';
      const ok = await produce(event('POST', route, `/v1/topics/${topic}/records`, good, headers, { topic }));
      expect(ok.statusCode).toBe(200);
      const bad = await produce(event('POST', route, `/v1/topics/${topic}/records`, malformed, headers, { topic }));
      expect(bad.statusCode).toBe(400);
      const unknown = await produce(event('POST', route, '/v1/topics/nope/records', good, headers, { topic: 'nope-secret-topic' }));
      expect(unknown.statusCode).toBe(404);
    });
    // The capture worked: the three requests were logged (debug level) and counted.
    const lines = jsonLines(output);
    expect(lines.filter((l) => l.message === 'request' || l.message === 'request refused')).toHaveLength(3);
    expect(emf(lines, 'Requests', { Role: 'produce', Operation: 'produce' }).length).toBe(3);
    for (const [name, secret] of Object.entries(SECRETS)) expect(output.includes(secret), name).toBe(false);
    expect(output.includes(basic)).toBe(false);
  });
});
