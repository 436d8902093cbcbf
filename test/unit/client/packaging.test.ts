/**
 * `import { Streambed } from 'streambed/client'` as a user of the package does it: the client is
 * built (scripts/build-client.mjs, what `npm pack` runs) into a scratch app's
 * node_modules/streambed next to this package.json, then a plain Node ES module imports it by
 * name and talks to an HTTP server, and tsc type-checks a TypeScript file against the shipped
 * declarations with the DOM library only (no Node types). The signing packages are not installed
 * in the scratch app: an unsigned client must never load them.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedServer, type ScriptedServer } from '../../helpers/scripted-server';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

let app: string;
let server: ScriptedServer;

beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), 'streambed-pkg-'));
  const pkg = join(app, 'node_modules/streambed');
  await mkdir(pkg, { recursive: true });
  await copyFile(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  await run(process.execPath, [join(ROOT, 'scripts/build-client.mjs'), join(pkg, 'dist')], { cwd: ROOT });
  server = await scriptedServer((req) => ({ status: 200, body: { topics: [{ name: `seen:${req.headers.authorization ?? 'none'}`, partitions: 1 }] } }));
}, 180_000);

afterAll(async () => {
  await server?.close();
  await rm(app, { recursive: true, force: true });
});

describe('package entry point streambed/client', () => {
  it('imports by name from plain Node and works without the signing packages installed', async () => {
    await writeFile(
      join(app, 'main.mjs'),
      `import { Streambed, StreambedClientError, CompressionTypes } from 'streambed/client';
       const admin = new Streambed({ url: process.argv[2] }).admin();
       console.log(JSON.stringify({ topics: await admin.listTopics(), errorClass: typeof StreambedClientError, gzip: CompressionTypes.GZIP }));`,
    );
    const { stdout } = await run(process.execPath, ['main.mjs', server.url], { cwd: app });
    expect(JSON.parse(stdout)).toEqual({ topics: ['seen:none'], errorClass: 'function', gzip: 1 });
  });

  it('ships one ES module that imports no Node built-in, and loads the SigV4 packages only lazily', async () => {
    const js = await readFile(join(app, 'node_modules/streambed/dist/client/index.js'), 'utf8');
    expect(js).not.toMatch(/from\s+["']node:|require\(|from\s+["'](fs|path|crypto|http|https|events|buffer)["']/);
    const imports = [...js.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]).sort();
    expect(imports).toEqual(['@aws-crypto/sha256-js', '@aws-sdk/credential-provider-node', '@smithy/signature-v4']);
    expect(js).not.toMatch(/^import .* from/m); // no static imports at all
  });

  it('type-checks a TypeScript user of the package against its declarations (DOM lib, no Node types)', async () => {
    await writeFile(
      join(app, 'use.ts'),
      `import { Streambed, type RecordMetadata, type EachMessagePayload, StreambedClientError } from 'streambed/client';
       const streambed = new Streambed({ url: 'http://127.0.0.1:8080' });
       const producer = streambed.producer({ lingerMs: 10, idempotent: true });
       export async function go(): Promise<RecordMetadata[]> {
         const consumer = streambed.consumer({ groupId: 'g' });
         await consumer.subscribe({ topics: ['t'], fromBeginning: true });
         await consumer.run({ eachMessage: async ({ message }: EachMessagePayload) => { const n: number = message.offset; void n; } });
         try { return await producer.send({ topic: 't', messages: [{ key: 'k', value: 'v' }] }); }
         catch (e) { if (e instanceof StreambedClientError && e.code === 'THROTTLED') return []; throw e; }
       }`,
    );
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022', lib: ['ES2023', 'DOM', 'DOM.Iterable'], types: [], skipLibCheck: false }, files: ['use.ts'] }),
    );
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app }).catch((e: { stdout: string }) => ({ stdout: e.stdout, failed: true }));
    expect(result.stdout).toBe('');
  });
});
