/**
 * Translates API Gateway HTTP API (payload format 2.0) events into ApiRequests and ApiResponses
 * back into API Gateway results. The only file of lib/api that knows Lambda's types.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { StreambedError } from '../errors';
import type { ApiRequest, ApiResponse } from './http';
import { matchRoute, routeByKey, type FunctionRole, type RouteMatch } from './routes';
import { errorResponse, handleRequest } from './app';
import { MAX_REQUEST_BYTES } from './http';
import { drainBackground } from './background';

export type LambdaHttpHandler = (
  event: APIGatewayProxyEventV2,
  context?: Partial<Context>,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** A Lambda handler that serves the routes of one function role. */
export function lambdaHandler(role: FunctionRole): LambdaHttpHandler {
  return async (event, context) => {
    let response: ApiResponse;
    try {
      const request = toApiRequest(event, context);
      if (request.route.role !== role) {
        throw new StreambedError('INVALID_REQUEST', `route ${request.route.path} is not served by the ${role} function`, {
          status: 404,
        });
      }
      response = await handleRequest(request);
    } catch (err) {
      response = errorResponse(err);
    }
    // Lambda freezes the container once the handler returns: work accepted for later (acks=none)
    // must finish first. The local stack (STREAMBED_RUNTIME=local) keeps running and need not wait.
    if (process.env.STREAMBED_RUNTIME !== 'local') await drainBackground();
    return toResult(response);
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
  return { route: match.route, pathParameters: match.pathParameters, query, headers, body, remainingTimeMs: remaining };
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
