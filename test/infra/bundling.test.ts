/**
 * The one infra test that runs esbuild for real (the others skip bundling): every function's code
 * is a bundled ESM asset with its source map and the WASM files it reads, the health bundle
 * answers a synthetic event, and a probe bundled with the same settings round-trips every
 * compression codec (the WASM ones read their .wasm files at run time) in a plain Node process.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FUNCTION_ROLES, type FunctionRole } from '../../lib/api/routes';
import { ESM_BANNER, StreambedFunction } from '../../infra/streambed-function';
import { streambedApp } from './synth';
import { functionProps } from './template-queries';

let outdir: string;
let template: Template;
let probeDir: string;

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'streambed-cdk-'));
  const { app, stack } = streambedApp({ bundle: true, outdir });
  const probeStack = new Stack(app, 'CompressionProbe');
  new StreambedFunction(probeStack, 'Probe', { role: 'health', entry: path.join(__dirname, 'fixtures', 'compression-probe.ts') });
  template = Template.fromStack(stack);
  const probe = Template.fromStack(probeStack).findResources('AWS::Lambda::Function');
  probeDir = assetDirOf((Object.values(probe)[0] as any).Properties.Code.S3Key);
}, 120_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

function assetDirOf(s3Key: string): string {
  expect(s3Key).toMatch(/^[0-9a-f]{64}\.zip$/);
  return path.join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
}

const assetDir = (role: FunctionRole): string => assetDirOf(functionProps(template, role).Code.S3Key);
const bundle = (dir: string): string => readFileSync(path.join(dir, 'index.mjs'), 'utf8');

/** Runs `handler(event)` of a bundle in a fresh Node process (no vite, no tsx) and returns its result. */
/**
 * Runs `handler(event)` … and returns its result: the last line of stdout. The lines before it
 * (the handler's JSON logs and EMF metrics) are pushed to `output` when given.
 */
function invoke(dir: string, event: unknown, output?: string[]): any {
  const entry = pathToFileURL(path.join(dir, 'index.mjs')).href;
  const script = `const { handler } = await import(${JSON.stringify(entry)});
process.stdout.write(JSON.stringify(await handler(${JSON.stringify(event)}, {})));`;
  const out = execFileSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    cwd: tmpdir(), // nothing to resolve from the repository's node_modules
  });
  const lines = out.trimEnd().split('\n');
  output?.push(...lines.slice(0, -1));
  return JSON.parse(lines[lines.length - 1]);
}

describe.each(FUNCTION_ROLES)('%s bundle', (role) => {
  it('is an ESM bundle with the banner and a source map', () => {
    const dir = assetDir(role);
    const code = bundle(dir);
    expect(code.startsWith(ESM_BANNER)).toBe(true);
    expect(code).toMatch(/sourceMappingURL=index\.mjs\.map/);
    expect(existsSync(path.join(dir, 'index.mjs.map'))).toBe(true);
    expect(existsSync(path.join(dir, 'node_modules')), 'nothing installed beside the bundle').toBe(false);
  });

  it('imports nothing but Node built-ins at run time (the AWS SDK is inside)', () => {
    const code = bundle(assetDir(role));
    const specifiers = [...code.matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? m[2]);
    expect(specifiers.filter((s) => !s.startsWith('node:'))).toEqual([]);
  });

  it('carries every .wasm file it names', () => {
    const dir = assetDir(role);
    const named = new Set([...bundle(dir).matchAll(/[\w.-]+\.wasm\b/g)].map((m) => m[0]));
    for (const name of named) expect(existsSync(path.join(dir, name)), name).toBe(true);
  });

  it('leaves the local stack, its emulators and test code out', () => {
    const map = JSON.parse(readFileSync(path.join(assetDir(role), 'index.mjs.map'), 'utf8')) as { sources: string[] };
    const unwanted = map.sources.filter((s) => /(^|\/)(lib\/local|test|infra)\/|node_modules\/(s3rver|dynalite|vitest|aws-cdk-lib)\//.test(s));
    expect(unwanted).toEqual([]);
    expect(map.sources.some((s) => s.endsWith(`functions/${role}.ts`))).toBe(true);
  });
});

it('the health bundle answers GET /v1/health in a plain Node process, with EMF metrics on stdout', () => {
  const output: string[] = [];
  const result = invoke(assetDir('health'), {
    version: '2.0',
    routeKey: 'GET /v1/health',
    rawPath: '/v1/health',
    rawQueryString: '',
    headers: {},
    requestContext: { http: { method: 'GET', path: '/v1/health' } },
    isBase64Encoded: false,
  }, output);
  expect(result.statusCode).toBe(200);
  expect(JSON.parse(result.body)).toEqual({ status: 'ok' });
  // Powertools, bundled: one EMF line with the request's metrics under the catalogue's dimensions.
  const emf = output.map((l) => JSON.parse(l)).find((l) => l._aws);
  expect(emf).toMatchObject({ Role: 'health', Operation: 'health', Requests: 1 });
  expect(emf._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Streambed', Dimensions: [['Role', 'Operation']] });
});

it('a bundle round-trips every compression codec, WASM ones included', () => {
  expect(invoke(probeDir, {})).toEqual({ none: true, gzip: true, snappy: true, lz4: true, zstd: true });
});
