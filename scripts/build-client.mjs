#!/usr/bin/env node
/**
 * Builds `streambed/client` for consumers of the package (package.json "exports" → "./client"):
 *   <out>/client/index.js                    one ES module (esbuild, platform "neutral": no Node
 *                                            built-ins; the SigV4 packages stay external and are
 *                                            imported lazily, on the first signed request)
 *   <out>/types/lib/client/index.d.ts        declarations (tsc)
 * Usage: node scripts/build-client.mjs [outDir]   (default: dist). `npm pack` runs it (prepack).
 * Tests and `npm start` do not need it: they import lib/client directly.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(root, process.argv[2] ?? 'dist');
rmSync(join(out, 'client'), { recursive: true, force: true });
rmSync(join(out, 'types'), { recursive: true, force: true });

await build({
  entryPoints: [join(root, 'lib/client/index.ts')],
  outfile: join(out, 'client/index.js'),
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  external: ['@smithy/signature-v4', '@aws-crypto/sha256-js', '@aws-sdk/credential-provider-node'],
  logLevel: 'warning',
});

const tsc = join(root, 'node_modules/typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.client.json'), '--declarationDir', join(out, 'types')], { cwd: root, stdio: 'inherit' });
process.stdout.write(`built ${join(out, 'client/index.js')} and ${join(out, 'types/lib/client/index.d.ts')}\n`);
