/**
 * SigV4 signing: an AWS test-suite vector through our signer, the client's Authorization header
 * against the SDK's own signer for the same request and a fixed clock, and a real HTTP server that
 * re-derives the signature from the request exactly as it arrived (what API Gateway does).
 * And: a client of the local stack sends no credentials at all.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, describe, expect, it } from 'vitest';
import { Streambed, sigV4Signer } from '../../../lib/client';
import { isLocalUrl, regionFromUrl } from '../../../lib/client/signing';
import { scriptedServer, type RecordedRequest, type ScriptedServer } from '../../helpers/scripted-server';

// The AWS SigV4 test suite's credentials and date (aws-sig-v4-test-suite).
const SUITE = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SUITE_DATE = new Date('2015-08-30T12:36:00Z');

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Recomputes the signature of a received request with the SDK's signer, from its own x-amz-date. */
async function verify(req: RecordedRequest, region: string, creds: { accessKeyId: string; secretAccessKey: string }): Promise<string> {
  const auth = String(req.headers.authorization);
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(auth)![1].split(';');
  const headers: Record<string, string> = {};
  for (const h of signedHeaders) headers[h] = String(req.headers[h]);
  const query: Record<string, string> = {};
  for (const [k, v] of req.query) query[k] = v;
  const amzDate = String(req.headers['x-amz-date']);
  const date = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  const [hostname, port] = headers.host.split(':');
  const signer = new SignatureV4({ service: 'execute-api', region, credentials: creds, sha256: Sha256, applyChecksum: false });
  const signed = await signer.sign(
    { method: req.method, protocol: 'http:', hostname, port: port ? Number(port) : undefined, path: req.path, query, headers, body: req.body === '' ? undefined : req.body },
    { signingDate: date },
  );
  return String(signed.headers.authorization);
}

describe('SigV4 signing', () => {
  it('matches the AWS test suite vector get-vanilla', async () => {
    const sign = sigV4Signer({ region: 'us-east-1', service: 'service', credentials: SUITE, now: () => SUITE_DATE });
    const headers = await sign({ method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {} });
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, ' +
        'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('matches the AWS test suite vector get-vanilla-query-order-key-case', async () => {
    const sign = sigV4Signer({ region: 'us-east-1', service: 'service', credentials: SUITE, now: () => SUITE_DATE });
    const headers = await sign({ method: 'GET', url: new URL('https://example.amazonaws.com/?Param2=value2&Param1=value1'), headers: {} });
    expect(headers.authorization).toContain('Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500');
  });

  it("signs exactly what the SDK's own signer signs for the same request (fixed clock and credentials)", async () => {
    const now = new Date('2026-03-01T08:00:00Z');
    const creds = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret/TEST', sessionToken: 'token-1' };
    const sent: { url: string; init: RequestInit }[] = [];
    const streambed = new Streambed({
      url: 'https://abc123.execute-api.eu-west-1.amazonaws.com',
      signer: sigV4Signer({ region: 'eu-west-1', credentials: creds, now: () => now }),
      fetch: async (input, init) => {
        sent.push({ url: String(input), init: init ?? {} });
        return new Response(JSON.stringify({ name: 'orders', partitions: 1, config: {} }), { status: 201, headers: { 'content-type': 'application/json' } });
      },
    });
    await streambed.admin().createTopic({ topic: 'orders', numPartitions: 1 });
    const { url, init } = sent[0];
    const headers = init.headers as Record<string, string>;

    const expected = await new SignatureV4({ service: 'execute-api', region: 'eu-west-1', credentials: creds, sha256: Sha256, applyChecksum: false }).sign(
      {
        method: 'POST',
        protocol: 'https:',
        hostname: 'abc123.execute-api.eu-west-1.amazonaws.com',
        path: '/v1/topics',
        query: {},
        headers: { host: 'abc123.execute-api.eu-west-1.amazonaws.com', accept: 'application/json', 'content-type': 'application/json' },
        body: init.body as string,
      },
      { signingDate: now },
    );
    expect(url).toBe('https://abc123.execute-api.eu-west-1.amazonaws.com/v1/topics');
    expect(headers.authorization).toBe(expected.headers.authorization);
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/20260301\/eu-west-1\/execute-api\/aws4_request, /);
    expect(headers['x-amz-date']).toBe('20260301T080000Z');
    expect(headers['x-amz-security-token']).toBe('token-1');
  });

  it('sends requests whose signature verifies against what actually arrived (host with port, query, body)', async () => {
    const creds = { accessKeyId: 'AKIDLIVE', secretAccessKey: 'live-secret' };
    const verdicts: boolean[] = [];
    server = await scriptedServer(async (req) => {
      verdicts.push((await verify(req, 'us-west-2', creds)) === req.headers.authorization);
      if (req.method === 'POST') return { status: 201, body: { name: 'orders', partitions: 2, config: {} } };
      return { status: 200, body: { offset: 7 } };
    });
    // Explicit credentials sign even against a local URL.
    const streambed = new Streambed({ url: server.url, credentials: creds, region: 'us-west-2' });
    expect(streambed.authenticated).toBe(true);
    const admin = streambed.admin();
    await admin.createTopic({ topic: 'orders', numPartitions: 2, config: { 'retention.ms': 1000 } });
    expect(await admin.listOffset('orders', 1, 1_700_000_000_000)).toBe(7);
    expect(server.requests.every((r) => String(r.headers.authorization).startsWith('AWS4-HMAC-SHA256 '))).toBe(true);
    expect(verdicts).toEqual([true, true]);
  });

  it('sends no Authorization header to the local stack', async () => {
    server = await scriptedServer(() => ({ status: 200, body: { topics: [] } }));
    const local = new Streambed({ url: server.url });
    expect(local.authenticated).toBe(false);
    await local.admin().listTopics();
    const viaLocalhost = new Streambed({ url: server.url.replace('127.0.0.1', 'localhost') });
    expect(viaLocalhost.authenticated).toBe(false);
    expect(server.requests[0].headers.authorization).toBeUndefined();
    expect(server.requests[0].headers['x-amz-date']).toBeUndefined();
  });

  it('sends nothing with credentials: false, and Basic auth with a username and password', async () => {
    server = await scriptedServer(() => ({ status: 200, body: { topics: [] } }));
    await new Streambed({ url: server.url, credentials: false }).admin().listTopics();
    await new Streambed({ url: server.url, credentials: { username: 'dev', password: 'pä55' } }).admin().listTopics();
    expect(server.requests[0].headers.authorization).toBeUndefined();
    expect(server.requests[1].headers.authorization).toBe(`Basic ${Buffer.from('dev:pä55').toString('base64')}`);
  });

  it('takes the region from an API Gateway URL and insists on one elsewhere', () => {
    expect(regionFromUrl(new URL('https://abc.execute-api.ap-southeast-2.amazonaws.com/'))).toBe('ap-southeast-2');
    expect(regionFromUrl(new URL('https://api.example.com/'))).toBeUndefined();
    const saved = { r: process.env.AWS_REGION, d: process.env.AWS_DEFAULT_REGION };
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    try {
      expect(() => new Streambed({ url: 'https://api.example.com' })).toThrow(/region/);
      expect(new Streambed({ url: 'https://api.example.com', region: 'eu-central-1' }).authenticated).toBe(true);
      expect(new Streambed({ url: 'https://abc.execute-api.eu-west-1.amazonaws.com' }).authenticated).toBe(true);
    } finally {
      if (saved.r !== undefined) process.env.AWS_REGION = saved.r;
      if (saved.d !== undefined) process.env.AWS_DEFAULT_REGION = saved.d;
    }
    expect(isLocalUrl(new URL('http://127.0.0.1:8080'))).toBe(true);
    expect(isLocalUrl(new URL('http://[::1]:8080'))).toBe(true);
    expect(isLocalUrl(new URL('https://abc.execute-api.eu-west-1.amazonaws.com'))).toBe(false);
  });
});
