/**
 * What API Gateway (HTTP API, Lambda proxy integration, payload format 2.0) and the Lambda runtime
 * do around a handler, reproduced for the local server: the event built from an HTTP request, the
 * invocation context, and the reading of the handler's result. Field by field as documented in
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithLambdaAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { RouteMatch } from '../api/routes';
import { routeKey } from '../api/routes';

export const LOCAL_API_ID = 'local';
export const LOCAL_ACCOUNT_ID = '000000000000';
/** API Gateway's integration timeout and the functions' Lambda timeout. */
export const INVOCATION_TIMEOUT_MS = 30_000;

export interface RequestMeta {
  readonly requestId: string;
  readonly startedAt: Date;
}

export function newRequestMeta(): RequestMeta {
  // API Gateway's request ids look like "JKJaXmPLvHcESHA=": 10 random bytes in base64.
  return { requestId: randomBytes(10).toString('base64'), startedAt: new Date() };
}

/**
 * The payload-2.0 event API Gateway would send for this request and route. An authenticated
 * `principal` goes where a Lambda authorizer's context would (`requestContext.authorizer.lambda`).
 */
export function toEvent(req: IncomingMessage, body: Buffer, match: RouteMatch, meta: RequestMeta, principal?: string): APIGatewayProxyEventV2 {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQueryString = q < 0 ? '' : url.slice(q + 1);
  const { headers, cookies } = eventHeaders(req);
  const host = headers.host ?? '127.0.0.1';
  const key = routeKey(match.route);
  const sourceIp = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
  const socketPort = req.socket.localPort;
  headers['x-forwarded-for'] ??= sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  if (socketPort !== undefined) headers['x-forwarded-port'] ??= String(socketPort);
  headers['x-amzn-trace-id'] ??= traceId(meta.startedAt);
  const pathParameters = Object.keys(match.pathParameters).length > 0 ? { ...match.pathParameters } : undefined;
  const event: APIGatewayProxyEventV2WithLambdaAuthorizer<{ principal: string }> | APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: key,
    rawPath,
    rawQueryString,
    cookies,
    headers,
    queryStringParameters: queryParameters(rawQueryString),
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: LOCAL_API_ID,
      domainName: host,
      domainPrefix: host.split('.')[0].split(':')[0],
      http: {
        method: (req.method ?? 'GET').toUpperCase(),
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: meta.requestId,
      routeKey: key,
      stage: '$default',
      time: clfTime(meta.startedAt),
      timeEpoch: meta.startedAt.getTime(),
      ...(principal !== undefined ? { authorizer: { lambda: { principal } } } : {}),
    },
    pathParameters,
    body: body.length > 0 ? body.toString('base64') : undefined,
    isBase64Encoded: body.length > 0,
  };
  return event;
}

/** Lower-cased names, duplicates joined with ","; Cookie headers move to `cookies`, as API Gateway does. */
function eventHeaders(req: IncomingMessage): { headers: Record<string, string>; cookies?: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    const value = raw[i + 1];
    if (name === 'cookie') {
      for (const c of value.split(';')) if (c.trim()) cookies.push(c.trim());
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return { headers, cookies: cookies.length > 0 ? cookies : undefined };
}

/** Decoded parameters, duplicates joined with ","; undefined when there is no query string. */
function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (!rawQueryString) return undefined;
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawQueryString)) params[k] = k in params ? `${params[k]},${v}` : v;
  return Object.keys(params).length > 0 ? params : undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the format of requestContext.time. */
function clfTime(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** An X-Ray trace header: Root=1-<epoch seconds hex>-<96 random bits hex>. */
function traceId(d: Date): string {
  return `Root=1-${Math.floor(d.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}

/** The Lambda invocation context: a 30 s budget counted from the start of the request. */
export function lambdaContext(functionName: string, meta: RequestMeta, timeoutMs = INVOCATION_TIMEOUT_MS): Context {
  const deadline = meta.startedAt.getTime() + timeoutMs;
  const unsupported = (): never => {
    throw new Error('context.done/fail/succeed are not supported: return a value or throw');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION ?? 'us-east-1'}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

export interface HttpReply {
  readonly status: number;
  /** Header name → value; `set-cookie` may carry several values. */
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

/**
 * How API Gateway reads a payload-2.0 result: a structured result as is (cookies become
 * set-cookie headers, base64 bodies are decoded); anything without `statusCode` is a 200 whose
 * JSON body is the value itself.
 */
export function fromResult(result: unknown): HttpReply {
  const structured =
    typeof result === 'object' && result !== null && 'statusCode' in result ? (result as APIGatewayProxyStructuredResultV2) : undefined;
  if (!structured) {
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) };
  }
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(structured.headers ?? {})) headers[k.toLowerCase()] = String(v);
  if (structured.cookies?.length) headers['set-cookie'] = structured.cookies;
  const raw = structured.body ?? '';
  const body = structured.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  return { status: structured.statusCode ?? 200, headers, body };
}
