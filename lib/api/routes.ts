/**
 * The route table of the HTTP API: which method and path go to which function role and operation.
 * The CDK app creates one API Gateway route per entry (and points it at the role's Lambda), the
 * local server matches requests against the same entries, and each Lambda dispatches on them.
 */
import { StreambedError } from '../errors';
import type { UpstashOperationName } from './upstash/operations';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** One Lambda function per role (DESIGN.md: functions/). */
export const FUNCTION_ROLES = ['produce', 'fetch', 'admin', 'health', 'groups', 'upstash'] as const;
export type FunctionRole = (typeof FUNCTION_ROLES)[number];

export type OperationName =
  | 'createTopic'
  | 'listTopics'
  | 'describeTopic'
  | 'deleteTopic'
  | 'produce'
  | 'fetch'
  | 'listOffsets'
  | 'health'
  | 'joinGroup'
  | 'heartbeat'
  | 'leaveGroup'
  | 'commitOffsets'
  | 'fetchGroupOffsets'
  | 'listGroups'
  | UpstashOperationName;

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
  { method: 'POST', path: '/v1/groups/{group}/members', role: 'groups', operation: 'joinGroup' },
  { method: 'POST', path: '/v1/groups/{group}/members/{memberId}/heartbeat', role: 'groups', operation: 'heartbeat' },
  { method: 'DELETE', path: '/v1/groups/{group}/members/{memberId}', role: 'groups', operation: 'leaveGroup' },
  { method: 'POST', path: '/v1/groups/{group}/offsets', role: 'groups', operation: 'commitOffsets' },
  { method: 'GET', path: '/v1/groups/{group}/offsets', role: 'groups', operation: 'fetchGroupOffsets' },
  { method: 'GET', path: '/v1/groups', role: 'groups', operation: 'listGroups' },
  // Upstash Kafka REST compatibility (docs/upstash.md): at the root, HTTP Basic auth, Upstash's shapes.
  ...upstashRoutes(),
];

/** Upstash's documented methods: `[GET | POST]` where its docs say so (@upstash/kafka uses POST, and GET for listings). */
function upstashRoutes(): RouteSpec[] {
  const both = (path: string, operation: OperationName): RouteSpec[] => [
    { method: 'GET', path, role: 'upstash', operation },
    { method: 'POST', path, role: 'upstash', operation },
  ];
  return [
    ...both('/produce', 'upstashProduce'),
    ...both('/produce/{topic}', 'upstashProduce'),
    ...both('/produce/{topic}/{message}', 'upstashProducePath'),
    ...both('/fetch', 'upstashFetch'),
    ...both('/consume/{group}/{instance}', 'upstashConsume'),
    ...both('/consume/{group}/{instance}/{topic}', 'upstashConsume'),
    ...both('/commit/{group}/{instance}', 'upstashCommit'),
    ...both('/committed/{group}/{instance}', 'upstashCommitted'),
    { method: 'POST', path: '/delete-consumer/{group}/{instance}', role: 'upstash', operation: 'upstashDeleteConsumer' },
    { method: 'DELETE', path: '/delete-consumer/{group}/{instance}', role: 'upstash', operation: 'upstashDeleteConsumer' },
    ...both('/offsets/{timestamp}', 'upstashOffsets'),
    { method: 'GET', path: '/topics', role: 'upstash', operation: 'upstashTopics' },
    { method: 'GET', path: '/consumers', role: 'upstash', operation: 'upstashConsumers' },
  ];
}

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
