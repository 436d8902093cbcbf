/**
 * The local HTTP front door: a node:http server that does what API Gateway does in front of the
 * deployed functions. Each request is size-checked, routed with the shared route table, turned
 * into a payload-2.0 event and handed to the very Lambda handler of its function role
 * (functions/<role>.ts); the handler's result is written back. Nothing of the API lives here.
 */
import { STATUS_CODES, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { aclFromEnv } from '../api/acl';
import { MAX_REQUEST_BYTES } from '../api/http';
import { matchRoute, type FunctionRole } from '../api/routes';
import { StreambedError, isStreambedError } from '../errors';
import { METRICS_NAMESPACE } from '../observability/metrics';
import type { MemoryTelemetry } from '../observability/memory-telemetry';
import { INVOCATION_TIMEOUT_MS, fromResult, lambdaContext, newRequestMeta, toEvent, type HttpReply, type RequestMeta } from './api-gateway';
import { basicAuthenticator } from './basic-auth';
import { CONSOLE_PATH } from './console-assets';
import { closeServer, listen } from './listen';

/**
 * The request line plus headers may take at most this many bytes (Node's `maxHeaderSize`): API
 * Gateway's own limit for HTTP APIs (10 KiB), so what works locally also gets through on AWS.
 * Larger requests get 431 with the REQUEST_TOO_LARGE code.
 */
export const MAX_HEADER_BYTES = 10 * 1024;

/** Local-only route (never deployed): the in-memory metrics summary. */
export const LOCAL_METRICS_PATH = '/v1/metrics';

export type LambdaHttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

export interface LocalServerOptions {
  /** Where handlers come from; default: the `handler` export of functions/<role>.ts. */
  readonly loadHandler?: (role: FunctionRole) => Promise<LambdaHttpHandler>;
  /** One JSON line per request on stderr; default: STREAMBED_LOG_REQUESTS=1. */
  readonly logRequests?: boolean;
  /** Function timeout (default 30 s, API Gateway's integration limit). */
  readonly timeoutMs?: number;
  /**
   * `user:password` (or a JSON object of users → passwords) required as HTTP Basic auth on every
   * route (the local stand-in for the deployed API's IAM auth); default STREAMBED_BASIC_AUTH;
   * unset = auth off, credentials ignored. The user becomes the request's principal (STREAMBED_ACL).
   */
  readonly basicAuth?: string;
  /** Served as a summary at GET /v1/metrics when given (the local stack passes its own). */
  readonly telemetry?: MemoryTelemetry;
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
  const basicAuth = options.basicAuth ?? (process.env.STREAMBED_BASIC_AUTH || undefined);
  const authenticate = basicAuthenticator(basicAuth);
  // A bad ACL, or an ACL nobody could satisfy, stops the stack at start rather than at a request.
  if (aclFromEnv() && basicAuth === undefined) {
    throw new Error('STREAMBED_ACL needs STREAMBED_BASIC_AUTH: the ACL names users, and only Basic auth says who is calling');
  }
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
    // Errors of the Upstash-compatible routes are Upstash-shaped (docs/upstash.md), 401 included.
    let upstashShape = false;
    try {
      const auth = authenticate(req.headers.authorization);
      const unauthorized = (): StreambedError =>
        new StreambedError('UNAUTHORIZED', 'this local stack requires HTTP Basic credentials (STREAMBED_BASIC_AUTH); send an Authorization: Basic header');
      // The web console's static files (docs/console.md): public, like any static site; the
      // console's own API calls carry the credentials.
      if (rawPath === CONSOLE_PATH || rawPath.startsWith(`${CONSOLE_PATH}/`)) {
        route = `GET ${CONSOLE_PATH}`;
        const { consoleReply } = await import('./console-assets');
        writeReply(res, await consoleReply((req.method ?? 'GET').toUpperCase(), rawPath), meta, closing);
        return;
      }
      if (options.telemetry && rawPath.replace(/\/$/, '') === LOCAL_METRICS_PATH) {
        route = `GET ${LOCAL_METRICS_PATH}`;
        if (!auth.ok) throw unauthorized();
        if ((req.method ?? 'GET').toUpperCase() !== 'GET') throw new StreambedError('INVALID_REQUEST', `method ${req.method} is not allowed on ${LOCAL_METRICS_PATH}`, { status: 405 });
        writeReply(res, jsonReply(200, options.telemetry.metrics.summary(METRICS_NAMESPACE)), meta, closing);
        return;
      }
      const match = matchRoute(req.method ?? 'GET', rawPath);
      route = `${match.route.method} ${match.route.path}`;
      upstashShape = match.route.role === 'upstash';
      if (!auth.ok) throw unauthorized();
      const handler = await loadHandler(match.route.role);
      const event = toEvent(req, body, match, meta, auth.principal);
      const context = lambdaContext(`streambed-${match.route.role}`, meta, timeoutMs);
      const result = await withTimeout(track(invocations, handler(event, context)), timeoutMs);
      reply = fromResult(result);
    } catch (err) {
      reply = await errorReply(err, upstashShape);
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
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, onRequest);
  // Requests Node refuses before they become requests (headers over MAX_HEADER_BYTES, malformed
  // HTTP) get the contract's JSON error body instead of Node's bare status line.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => refuseMalformed(err, socket));
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

function jsonReply(status: number, body: unknown): HttpReply {
  return { status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) };
}

/** Answers a request Node could not parse (see `clientError`), then closes the connection. */
function refuseMalformed(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  let e: StreambedError;
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    e = new StreambedError('REQUEST_TOO_LARGE', `the request line and headers are over ${MAX_HEADER_BYTES} bytes; send shorter headers and URLs`, { status: 431 });
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    e = new StreambedError('INVALID_REQUEST', 'the request headers did not arrive in time', { status: 408 });
  } else {
    e = new StreambedError('INVALID_REQUEST', `malformed HTTP request (${err.code ?? 'parse error'})`);
  }
  const body = JSON.stringify(e.toBody());
  socket.end(
    `HTTP/1.1 ${e.status} ${STATUS_CODES[e.status] ?? 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
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
async function errorReply(err: unknown, upstashShape = false): Promise<HttpReply> {
  try {
    if (upstashShape) {
      const [{ upstashErrorResponse }, { toResult }] = await Promise.all([import('../api/upstash/errors'), import('../api/lambda-adapter')]);
      return fromResult(toResult(upstashErrorResponse(err)));
    }
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
