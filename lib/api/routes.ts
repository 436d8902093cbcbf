/**
 * The route table of the HTTP API: which method and path go to which function role and operation.
 * The CDK app creates one API Gateway route per entry (and points it at the role's Lambda), the
 * local server matches requests against the same entries, and each Lambda dispatches on them.
 */
import { StreambedError } from '../errors';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** One Lambda function per role (DESIGN.md: functions/). */
export const FUNCTION_ROLES = ['produce', 'fetch', 'admin', 'health'] as const;
export type FunctionRole = (typeof FUNCTION_ROLES)[number];

export type OperationName =
  | 'createTopic'
  | 'listTopics'
  | 'describeTopic'
  | 'deleteTopic'
  | 'produce'
  | 'fetch'
  | 'listOffsets'
  | 'health';

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway route path syntax: `{name}` marks a path parameter. */
  readonly path: string;
  readonly role: FunctionRole;
  readonly operation: OperationName;
}

export const ROUTES: readonly RouteSpec[] = [
  { method: 'POST', path: '/v1/topics', role: 'admin', operation: 'createTopic' },
  { method: 'GET', path: '/v1/topics', role: 'admin', operation: 'listTopics' },
  { method: 'GET', path: '/v1/topics/{topic}', role: 'admin', operation: 'describeTopic' },
  { method: 'DELETE', path: '/v1/topics/{topic}', role: 'admin', operation: 'deleteTopic' },
  { method: 'POST', path: '/v1/topics/{topic}/records', role: 'produce', operation: 'produce' },
  { method: 'GET', path: '/v1/topics/{topic}/partitions/{partition}/records', role: 'fetch', operation: 'fetch' },
  { method: 'GET', path: '/v1/topics/{topic}/partitions/{partition}/offsets', role: 'fetch', operation: 'listOffsets' },
  { method: 'GET', path: '/v1/health', role: 'health', operation: 'health' },
];

/** `"POST /v1/topics"`: the API Gateway v2 route key of a route. */
export function routeKey(route: Pick<RouteSpec, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

export interface RouteMatch {
  readonly route: RouteSpec;
  readonly pathParameters: Record<string, string>;
}

interface Compiled {
  readonly route: RouteSpec;
  readonly regex: RegExp;
  readonly names: string[];
}

const COMPILED: Compiled[] = ROUTES.map((route) => {
  const names: string[] = [];
  const pattern = route.path
    .split('/')
    .map((segment) => {
      const m = /^\{(\w+)\}$/.exec(segment);
      if (!m) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1]);
      return '([^/]+)';
    })
    .join('/');
  return { route, regex: new RegExp(`^${pattern}/?$`), names };
});

/**
 * Matches a method and a raw (still percent-encoded) path against the route table, as API Gateway
 * does: path parameters come back decoded. No route for the path → 404; a route for the path but
 * not the method → 405; both with the contract's INVALID_REQUEST code.
 */
export function matchRoute(method: string, rawPath: string): RouteMatch {
  let pathKnown = false;
  for (const c of COMPILED) {
    const m = c.regex.exec(rawPath);
    if (!m) continue;
    pathKnown = true;
    if (c.route.method !== method.toUpperCase()) continue;
    const pathParameters: Record<string, string> = {};
    c.names.forEach((name, i) => {
      pathParameters[name] = safeDecode(m[i + 1]);
    });
    return { route: c.route, pathParameters };
  }
  if (pathKnown) {
    throw new StreambedError('INVALID_REQUEST', `method ${method} is not allowed on ${rawPath}`, { status: 405 });
  }
  throw new StreambedError('INVALID_REQUEST', `no route for ${method} ${rawPath}; see docs/api.md`, { status: 404 });
}

/** Finds the route of an API Gateway route key (`"GET /v1/topics/{topic}"`). */
export function routeByKey(key: string): RouteSpec | undefined {
  return ROUTES.find((r) => routeKey(r) === key);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new StreambedError('INVALID_REQUEST', `path segment "${segment}" is not valid percent-encoding`);
  }
}
