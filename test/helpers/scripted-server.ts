/**
 * A real node:http server on 127.0.0.1 whose answers a test scripts, and which records every
 * request it got (method, path, query, headers, body). For client tests that need real HTTP —
 * retries on 503/429, dropped connections, signatures as they arrive — without the whole stack.
 *
 * @example
 * const server = await scriptedServer((req, n) => (n < 2 ? { status: 503, body: { error: { code: 'UNAVAILABLE', message: 'x' } } } : { status: 200, body: {} }));
 * // … point a client at server.url …
 * expect(server.requests).toHaveLength(3);
 * await server.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-cased names, as node:http gives them. */
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export type ScriptedReply =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Drop the connection without an answer (a network error for the client). */
  | 'destroy';

export interface ScriptedServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function scriptedServer(answer: (req: RecordedRequest, index: number) => ScriptedReply | Promise<ScriptedReply>): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const index = requests.length;
      requests.push(recorded);
      void Promise.resolve(answer(recorded, index)).then((reply) => {
        if (reply === 'destroy') {
          req.socket.destroy();
          return;
        }
        const headers: Record<string, string> = { ...(reply.headers ?? {}) };
        let payload = '';
        if (reply.body !== undefined) {
          payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
          headers['content-type'] ??= 'application/json';
        }
        res.writeHead(reply.status, headers).end(payload);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The contract's error body. */
export function apiError(status: number, code: string, message = code.toLowerCase(), headers?: Record<string, string>): ScriptedReply {
  return { status, body: { error: { code, message } }, headers };
}
