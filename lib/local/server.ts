/**
 * The local HTTP front door: a node:http server that does what API Gateway does in front of the
 * deployed functions. Each request is size-checked, routed with the shared route table, turned
 * into a payload-2.0 event and handed to the very Lambda handler of its function role
 * (functions/<role>.ts); the handler's result is written back. Nothing of the API lives here.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { MAX_REQUEST_BYTES } from '../api/http';
import { matchRoute, type FunctionRole } from '../api/routes';
import { StreambedError, isStreambedError } from '../errors';
import { INVOCATION_TIMEOUT_MS, fromResult, lambdaContext, newRequestMeta, toEvent, type HttpReply, type RequestMeta } from './api-gateway';
import { closeServer, listen } from './listen';

export type LambdaHttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

export interface LocalServerOptions {
  /** Where handlers come from; default: the `handler` export of functions/<role>.ts. */
  readonly loadHandler?: (role: FunctionRole) => Promise<LambdaHttpHandler>;
  /** One JSON line per request on stderr; default: STREAMBED_LOG_REQUESTS=1. */
  readonly logRequests?: boolean;
  /** Function timeout (default 30 s, API Gateway's integration limit). */
  readonly timeoutMs?: number;
  /**
   * `user:password` required as HTTP Basic auth on every route (the local stand-in for the
   * deployed API's IAM auth); default STREAMBED_BASIC_AUTH; unset = auth off, credentials ignored.
   */
  readonly basicAuth?: string;
}

export interface LocalServer {
  readonly server: Server;
  /** Binds 127.0.0.1:`port` (0 = any free port); resolves with the real port. */
  listen(port: number): Promise<number>;
  /** Requests being served (a handler still running after its request timed out is not counted). */
  inFlight(): number;
  /** Stops accepting, waits up to `graceMs` for in-flight work, then cuts remaining connections. */
  close(graceMs?: number): Promise<void>;
}

export function createLocalServer(options: LocalServerOptions = {}): LocalServer {
  const loadHandler = options.loadHandler ?? importHandler;
  const logRequests = options.logRequests ?? process.env.STREAMBED_LOG_REQUESTS === '1';
  const timeoutMs = options.timeoutMs ?? INVOCATION_TIMEOUT_MS;
  const authorized = basicAuthCheck(options.basicAuth ?? (process.env.STREAMBED_BASIC_AUTH || undefined));
  // Requests being served, and handler invocations (which may outlive a timed-out request).
  const requests = new Set<Promise<unknown>>();
  const invocations = new Set<Promise<unknown>>();
  let closing = false;

  const track = <T>(set: Set<Promise<unknown>>, p: Promise<T>): Promise<T> => {
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    set.add(settled);
    void settled.then(() => set.delete(settled));
    return p;
  };

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const meta = newRequestMeta();
    const rawPath = (req.url ?? '/').split('?')[0];
    let bytesIn = 0;
    let route = '-';
    res.on('finish', () => {
      if (!logRequests) return;
      const line = { level: 'info', msg: 'request', requestId: meta.requestId, method: req.method, path: rawPath, route, status: res.statusCode, ms: Date.now() - meta.startedAt.getTime(), bytesIn };
      process.stderr.write(`${JSON.stringify(line)}\n`);
    });

    const declared = Number(req.headers['content-length'] ?? 0);
    const body = declared > MAX_REQUEST_BYTES ? undefined : await readBody(req, MAX_REQUEST_BYTES);
    if (body === null) return; // the client went away
    if (body === undefined) {
      await tooLarge(req, res, meta);
      return;
    }
    bytesIn = body.length;

    let reply: HttpReply;
    try {
      const match = matchRoute(req.method ?? 'GET', rawPath);
      route = `${match.route.method} ${match.route.path}`;
      if (!authorized(req.headers.authorization)) {
        throw new StreambedError('UNAUTHORIZED', 'this local stack requires HTTP Basic credentials (STREAMBED_BASIC_AUTH); send an Authorization: Basic header');
      }
      const handler = await loadHandler(match.route.role);
      const event = toEvent(req, body, match, meta);
      const context = lambdaContext(`streambed-${match.route.role}`, meta, timeoutMs);
      const result = await withTimeout(track(invocations, handler(event, context)), timeoutMs);
      reply = fromResult(result);
    } catch (err) {
      reply = await errorReply(err);
    }
    if (reply.status === 401) reply.headers['www-authenticate'] = 'Basic realm="streambed", charset="UTF-8"';
    writeReply(res, reply, meta, closing);
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    void track(requests, serve(req, res)).catch((err: unknown) => {
      // serve() answers every failure itself; reaching here means the socket broke mid-reply.
      process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'local server request failed', error: String(err) })}\n`);
      res.destroy();
    });
  };
  const server = createServer(onRequest);
  // `Expect: 100-continue` (curl does it for large bodies): a body declared too large gets its
  // 413 instead of the invitation to send it.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (Number(req.headers['content-length'] ?? 0) <= MAX_REQUEST_BYTES) res.writeContinue();
    onRequest(req, res);
  });
  // Long-polling fetches wait up to 20 s; keep Node's own timeouts out of the way of the 30 s budget.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;

  return {
    server,
    listen: (port) => listen(server, port, 'http'),
    inFlight: () => requests.size,
    async close(graceMs = 10_000) {
      closing = true;
      const closed = closeServer(server);
      const deadline = Date.now() + graceMs;
      while (requests.size + invocations.size > 0 && Date.now() < deadline) {
        await Promise.race([Promise.allSettled([...requests, ...invocations]), sleep(deadline - Date.now())]);
      }
      server.closeAllConnections();
      await closed;
    },
  };
}

/** A constant-time check of an Authorization header against `user:password`; all pass when unset. */
function basicAuthCheck(expected: string | undefined): (header: string | undefined) => boolean {
  if (expected === undefined) return () => true;
  if (!expected.includes(':')) throw new Error('STREAMBED_BASIC_AUTH must be user:password');
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  const want = digest(expected);
  return (header) => {
    const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
    return m !== null && timingSafeEqual(digest(Buffer.from(m[1], 'base64').toString('utf8')), want);
  };
}

const handlers = new Map<FunctionRole, Promise<LambdaHttpHandler>>();

/**
 * Imports functions/<role>.ts once per role, on first use, the way a Lambda container loads its
 * handler module: whatever the module reads from process.env at load time, it reads then.
 */
function importHandler(role: FunctionRole): Promise<LambdaHttpHandler> {
  let loaded = handlers.get(role);
  if (!loaded) {
    const url = new URL(`../../functions/${role}.ts`, import.meta.url).href;
    loaded = import(url).then((mod: { handler?: unknown }) => {
      if (typeof mod.handler !== 'function') throw new Error(`functions/${role}.ts has no exported handler function`);
      return mod.handler as LambdaHttpHandler;
    });
    loaded.catch(() => handlers.delete(role));
    handlers.set(role, loaded);
  }
  return loaded;
}

/**
 * The reply for a failure outside the handler (no route, body too large, handler missing or timed
 * out): the API's own error rendering, which a handler would use for the same error. It is
 * imported lazily, like the handlers, so nothing of the data path loads before the storage
 * settings are in process.env; if it cannot load, a bare contract-shaped error is sent instead.
 */
async function errorReply(err: unknown): Promise<HttpReply> {
  try {
    const [{ errorResponse }, { toResult }] = await Promise.all([import('../api/app'), import('../api/lambda-adapter')]);
    return fromResult(toResult(errorResponse(err)));
  } catch (importErr) {
    process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'cannot load lib/api to render an error', error: String(importErr) })}\n`);
    const e = isStreambedError(err) ? err : new StreambedError('UNAVAILABLE', 'internal error; safe to retry');
    return { status: e.status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(e.toBody())) };
  }
}

/**
 * Collects the body, giving up (undefined) as soon as it passes `limit` bytes without keeping
 * what follows; null when the client aborted.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (value: Buffer | undefined | null): void => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      resolve(value);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) done(undefined);
      else chunks.push(chunk);
    };
    const onEnd = (): void => done(Buffer.concat(chunks, size));
    const onError = (err: Error): void => {
      req.off('data', onData).off('end', onEnd).off('close', onClose);
      reject(err);
    };
    const onClose = (): void => {
      if (!req.complete) done(null);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/** How long a refused upload may keep streaming (discarded) so the client can read the 413. */
const DISCARD_MS = 5_000;

async function tooLarge(req: IncomingMessage, res: ServerResponse, meta: RequestMeta): Promise<void> {
  const err = new StreambedError('REQUEST_TOO_LARGE', `request body is over ${MAX_REQUEST_BYTES} bytes; split it into smaller requests`);
  // No `connection: close`: closing while the client still sends makes its writes fail (EPIPE)
  // before it reads the 413. Instead the rest is drained without being kept, and the connection
  // is cut only if the client is still sending after a grace period.
  writeReply(res, await errorReply(err), meta, false);
  req.resume();
  const timer = setTimeout(() => req.socket.destroy(), DISCARD_MS);
  timer.unref();
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
}

function writeReply(res: ServerResponse, reply: HttpReply, meta: RequestMeta, closeConnection: boolean): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | string[]> = { ...reply.headers, 'apigw-requestid': meta.requestId, 'content-length': String(reply.body.length) };
  if (closeConnection) headers.connection = 'close';
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StreambedError('UNAVAILABLE', `the function did not answer within ${ms} ms; safe to retry`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)).unref());
}
