/**
 * Translates API Gateway HTTP API (payload format 2.0) events into ApiRequests and ApiResponses
 * back into API Gateway results. The only file of lib/api that knows Lambda's types.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { StreambedError } from '../errors';
import type { ApiRequest, ApiResponse } from './http';
import { matchRoute, routeByKey, type FunctionRole, type RouteMatch } from './routes';
import { errorResponse, handleRequest } from './app';
import { upstashErrorResponse } from './upstash/errors';
import { MAX_REQUEST_BYTES } from './http';
import { drainBackground } from './background';
import { installTelemetry, installedTelemetry, observeRequest, type Telemetry } from '../observability';
import { powertoolsTelemetry } from '../observability/powertools-telemetry';

export type LambdaHttpHandler = (
  event: APIGatewayProxyEventV2,
  context?: Partial<Context>,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * A Lambda handler that serves the routes of one function role. Every invocation is observed
 * (lib/observability): metrics by role and operation, and one redacted log line.
 */
export function lambdaHandler(role: FunctionRole): LambdaHttpHandler {
  return async (event, context) => {
    const start = { role, requestId: event.requestContext?.requestId ?? context?.awsRequestId, method: event.requestContext?.http?.method, path: event.rawPath };
    const response = await observeRequest(
      telemetryFor(role),
      start,
      async (observation) => {
        let response: ApiResponse;
        try {
          const request = toApiRequest(event, context);
          observation.setOperation(request.route.operation);
          observation.setPrincipal(request.principal);
          if (request.route.role !== role) {
            throw new StreambedError('INVALID_REQUEST', `route ${request.route.path} is not served by the ${role} function`, {
              status: 404,
            });
          }
          response = await handleRequest(request);
        } catch (err) {
          // Refused before the operation ran (too large, wrong function): still in the route's error shape.
          response = role === 'upstash' ? upstashErrorResponse(err) : errorResponse(err);
        }
        // Lambda freezes the container once the handler returns: work accepted for later (acks=none)
        // must finish first. The local stack (STREAMBED_RUNTIME=local) keeps running and need not wait.
        if (process.env.STREAMBED_RUNTIME !== 'local') await drainBackground();
        return response;
      },
      outcomeOf,
    );
    return toResult(response);
  };
}

/** The process's telemetry: the installed one (the local stack's), else Powertools, installed once. */
function telemetryFor(role: FunctionRole): Telemetry {
  let t = installedTelemetry();
  if (!t) {
    t = powertoolsTelemetry(role);
    installTelemetry(t);
  }
  return t;
}

function outcomeOf(response: ApiResponse): { status: number; code?: string; message?: string } {
  const error = (response.body as { error?: { code?: unknown; message?: unknown } | string } | undefined)?.error;
  if (response.status >= 400 && typeof error === 'string') {
    // Upstash-shaped (lib/api/upstash/errors.ts): "<CODE>: <message>".
    const m = /^([A-Z_]+): ([\s\S]*)$/.exec(error);
    return { status: response.status, code: m?.[1], message: m?.[2] ?? error };
  }
  if (response.status < 400 || typeof error !== 'object' || error === null) return { status: response.status };
  return {
    status: response.status,
    code: typeof error.code === 'string' ? error.code : undefined,
    message: typeof error.message === 'string' ? error.message : undefined,
  };
}

export function toApiRequest(event: APIGatewayProxyEventV2, context?: Partial<Context>): ApiRequest {
  const method = event.requestContext?.http?.method ?? 'GET';
  const match = resolveRoute(event, method);
  const raw = event.body ?? '';
  const approxBytes = event.isBase64Encoded ? Math.floor((raw.length * 3) / 4) : Buffer.byteLength(raw);
  if (approxBytes > MAX_REQUEST_BYTES) {
    throw new StreambedError('REQUEST_TOO_LARGE', `request body is over ${MAX_REQUEST_BYTES} bytes; split it into smaller requests`);
  }
  const body = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(event.rawQueryString ?? '')) query[k] = v;
  const remaining = context?.getRemainingTimeInMillis?.bind(context);
  return { route: match.route, pathParameters: match.pathParameters, query, headers, body, remainingTimeMs: remaining, principal: principalOf(event) };
}

/**
 * The caller as API Gateway authenticated it: `requestContext.authorizer.iam.userArn` (IAM auth),
 * else `requestContext.authorizer.lambda.principal` (a Lambda authorizer's context; the local
 * stack's Basic auth fills the same field). Never read from headers: a client cannot claim one.
 */
function principalOf(event: APIGatewayProxyEventV2): string | undefined {
  // The payload-2.0 event type declares no authorizer; the IAM and Lambda authorizer variants do.
  const authorizer = (event.requestContext as { authorizer?: { iam?: { userArn?: unknown }; lambda?: { principal?: unknown } } } | undefined)
    ?.authorizer;
  const arn = authorizer?.iam?.userArn;
  if (typeof arn === 'string' && arn !== '') return arn;
  const name = authorizer?.lambda?.principal;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function resolveRoute(event: APIGatewayProxyEventV2, method: string): RouteMatch {
  const byKey = event.routeKey ? routeByKey(event.routeKey) : undefined;
  if (byKey) {
    const pathParameters: Record<string, string> = {};
    for (const [k, v] of Object.entries(event.pathParameters ?? {})) if (v !== undefined) pathParameters[k] = v;
    return { route: byKey, pathParameters };
  }
  return matchRoute(method, event.rawPath ?? '/');
}

export function toResult(response: ApiResponse): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  if (response.body === undefined) return { statusCode: response.status, headers, body: '' };
  headers['content-type'] = 'application/json';
  return { statusCode: response.status, headers, body: JSON.stringify(response.body) };
}
