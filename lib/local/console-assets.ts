/**
 * The web console's files (lib/console): index.html and console.css as they are, console.js
 * bundled from lib/console/main.ts by esbuild (one ES module, no dependencies). The local server
 * answers GET /console/… with them (built in memory on first request, then cached), and
 * `npm run build:console` writes the same files for a static web host (docs/console.md).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The console's URL prefix on the local stack (not an API route: never deployed to API Gateway). */
export const CONSOLE_PATH = '/console';

const SOURCE_DIR = fileURLToPath(new URL('../console/', import.meta.url));

export interface ConsoleFile {
  readonly contentType: string;
  readonly body: Buffer;
}

const STATIC: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
};

/** Bundles the console's code: one browser ES module. esbuild is loaded only when asked. */
export async function buildConsoleScript(): Promise<Buffer> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(SOURCE_DIR, 'main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: 'inline',
    write: false,
    logLevel: 'silent',
  });
  return Buffer.from(result.outputFiles[0].contents);
}

/** The console's files by name: index.html, console.css, console.js. */
export async function consoleFiles(): Promise<Map<string, ConsoleFile>> {
  const files = new Map<string, ConsoleFile>();
  for (const [name, contentType] of Object.entries(STATIC)) files.set(name, { contentType, body: await readFile(join(SOURCE_DIR, name)) });
  files.set('console.js', { contentType: 'text/javascript; charset=utf-8', body: await buildConsoleScript() });
  return files;
}

/** Writes the static site (index.html, console.css, console.js) to `outDir`. */
export async function writeConsoleSite(outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const [name, file] of await consoleFiles()) {
    await writeFile(join(outDir, name), file.body);
    written.push(join(outDir, name));
  }
  return written;
}

export interface ConsoleReply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

let cached: Promise<Map<string, ConsoleFile>> | undefined;

/**
 * The page runs only its own script and stylesheet; it may call any API URL (set in Settings) and
 * cannot be framed. Record data is rendered as text, this is the second line of defence.
 */
const CSP = "default-src 'self'; connect-src *; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The answer to `method rawPath` under CONSOLE_PATH: `/console` redirects to `/console/` (so the
 * page's relative URLs resolve), `/console/` is index.html, known files are served, the rest 404.
 * The files are built once per process (a failed build is retried on the next request).
 */
export async function consoleReply(method: string, rawPath: string): Promise<ConsoleReply> {
  const text = (status: number, body: string, headers: Record<string, string> = {}): ConsoleReply => ({ status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body: Buffer.from(body) });
  if (method !== 'GET' && method !== 'HEAD') return text(405, `method ${method} is not allowed on ${CONSOLE_PATH}`, { allow: 'GET, HEAD' });
  if (rawPath === CONSOLE_PATH) return text(308, `see ${CONSOLE_PATH}/`, { location: `${CONSOLE_PATH}/` });
  const name = rawPath.slice(CONSOLE_PATH.length + 1) || 'index.html';
  if (!cached) {
    cached = consoleFiles();
    cached.catch(() => (cached = undefined));
  }
  const file = (await cached).get(name);
  if (!file) return text(404, `no console file ${name}`);
  // Node sends no body in answer to HEAD; the content-length stays the GET's.
  return { status: 200, headers: { 'content-type': file.contentType, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', ...(name === 'index.html' ? { 'content-security-policy': CSP } : {}) }, body: file.body };
}
