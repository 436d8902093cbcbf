/**
 * Fault injection for the storage clients, for reliability tests (test/reliability/, docs/reliability.md).
 * Off unless STREAMBED_FAULTS is set when the clients are created: then one SDK middleware is added
 * to each client; otherwise nothing is added and the data path runs exactly as in production.
 *
 * Grammar: STREAMBED_FAULTS="<rule>,<rule>,…", rule = `<service>:<operation>:<kind>[:<param>]:<probability>`
 * - service: `s3`, `dynamodb` or `*`; operation: the SDK command name without "Command"
 *   (`PutObject`, `UpdateItem`, …) or `*` (every operation, the startup bootstrap's included);
 * - kind, per attempt of a request (the SDK's own retries see each injected failure, as they see
 *   a real one):
 *   - `error`      a real-looking 5xx answer, not applied: S3 `InternalError` 500 / `ServiceUnavailable`
 *                  503, DynamoDB `InternalServerError` 500 / `ServiceUnavailable` 503;
 *   - `throttle`   S3 `SlowDown` 503, DynamoDB `ProvisionedThroughputExceededException` 400; not applied;
 *   - `reset`      the connection resets before the request arrives (ECONNRESET); not applied;
 *   - `lost`       the request IS applied, then the connection resets before the answer arrives;
 *   - `timeout:<ms>` the request IS applied, the answer never comes: after `ms`, a TimeoutError;
 *   - `latency:<ms>` or `latency:<min>-<max>` the request is delayed, then sent normally;
 * - probability: 0…1, drawn independently for every attempt.
 *
 * Rules are tried in order; the first whose draw hits applies (at most one fault per attempt, but a
 * latency rule lets the following rules draw too). Each injected fault is logged as one JSON line
 * on stderr (`"msg":"fault injected"`), which is how the harness counts them.
 *
 * @example
 * STREAMBED_FAULTS='s3:PutObject:error:0.1,dynamodb:UpdateItem:lost:0.05,dynamodb:*:latency:20-200:0.2'
 */
import { Readable } from 'node:stream';

export type FaultKind = 'error' | 'throttle' | 'reset' | 'lost' | 'timeout' | 'latency';
export type FaultService = 's3' | 'dynamodb';

export interface FaultRule {
  readonly service: FaultService | '*';
  /** Operation name without "Command", or '*'. */
  readonly operation: string;
  readonly kind: FaultKind;
  /** latency: [min, max] ms; timeout: [ms, ms]. */
  readonly delayMs?: readonly [number, number];
  readonly probability: number;
}

const KINDS: readonly FaultKind[] = ['error', 'throttle', 'reset', 'lost', 'timeout', 'latency'];

/** Parses STREAMBED_FAULTS; throws with the offending rule and the grammar on a bad spec. */
export function parseFaultSpec(spec: string | undefined): FaultRule[] {
  const rules: FaultRule[] = [];
  for (const raw of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const bad = (why: string): Error =>
      new Error(
        `bad STREAMBED_FAULTS rule "${raw}": ${why}; expected <s3|dynamodb|*>:<Operation|*>:<${KINDS.join('|')}>[:<ms>|<min>-<max>]:<probability 0..1>`,
      );
    const parts = raw.split(':');
    const [service, operation, kind] = parts;
    if (service !== 's3' && service !== 'dynamodb' && service !== '*') throw bad(`unknown service "${service}"`);
    if (!operation || !/^(\*|[A-Za-z0-9]+)$/.test(operation)) throw bad('missing operation');
    if (!(KINDS as readonly string[]).includes(kind)) throw bad(`unknown kind "${kind}"`);
    const needsDelay = kind === 'latency' || kind === 'timeout';
    if (parts.length !== (needsDelay ? 5 : 4)) throw bad(needsDelay ? `${kind} needs a delay` : 'wrong number of fields');
    const probability = Number(parts[parts.length - 1]);
    if (!Number.isFinite(probability) || probability < 0 || probability > 1) throw bad('probability must be a number from 0 to 1');
    let delayMs: [number, number] | undefined;
    if (needsDelay) {
      const m = /^(\d+)(?:ms)?(?:-(\d+)(?:ms)?)?$/.exec(parts[3]);
      if (!m) throw bad(`delay "${parts[3]}" is not <ms> or <min>-<max>`);
      delayMs = [Number(m[1]), Number(m[2] ?? m[1])];
      if (delayMs[1] < delayMs[0]) throw bad('delay range max is below min');
    }
    rules.push({ service, operation, kind: kind as FaultKind, delayMs, probability });
  }
  return rules;
}

/** Minimal view of an SDK v3 client: only its middleware stack is touched. */
export interface FaultableClient {
  readonly middlewareStack: {
    add(middleware: unknown, options: { step: 'deserialize'; priority: 'low'; name: string; override?: boolean }): void;
  };
}

interface RawResponse {
  statusCode: number;
  headers: Record<string, string>;
  body?: unknown;
}

const counts = new Map<string, number>();

/** Faults injected in this process so far, by `service:operation:kind`. */
export function injectedFaults(): ReadonlyMap<string, number> {
  return counts;
}

/**
 * Adds the fault middleware for `service` to `client` when `rules` has a rule for it. Placed after
 * the retry and signing middleware and before the deserializer: an injected answer is parsed by
 * the SDK's own deserializer into the same exception a real one would give.
 */
export function installFaults(client: FaultableClient, service: FaultService, rules: readonly FaultRule[], random: () => number = Math.random): boolean {
  const mine = rules.filter((r) => r.service === service || r.service === '*');
  if (mine.length === 0) return false;
  // The SDK's middleware types are generic over every client's inputs and outputs; this one only
  // passes `args` through or answers with a raw HTTP response, so it is typed structurally.
  type Next = (args: { request: unknown }) => Promise<{ response: RawResponse; output?: unknown }>;
  const middleware = (next: Next, context: { commandName?: string }) => async (args: { request: unknown }) => {
    const operation = (context.commandName ?? '').replace(/Command$/, '');
    for (const rule of mine) {
      if (rule.operation !== '*' && rule.operation !== operation) continue;
      if (random() >= rule.probability) continue;
      record(service, operation, rule.kind);
      const delay = rule.delayMs ? rule.delayMs[0] + Math.floor(random() * (rule.delayMs[1] - rule.delayMs[0] + 1)) : 0;
      switch (rule.kind) {
        case 'latency':
          await sleep(delay);
          continue; // later rules may still fail the request
        case 'error':
        case 'throttle':
          return { response: errorResponse(service, rule.kind, random) };
        case 'reset':
          throw connectionReset('socket hang up (injected: the connection reset before the request was sent)');
        case 'lost': {
          const out = await next(args);
          discard(out.response);
          throw connectionReset('socket hang up (injected: the request was applied, the response was lost)');
        }
        case 'timeout': {
          const out = await next(args);
          discard(out.response);
          await sleep(delay);
          throw Object.assign(new Error(`Connection timed out after ${delay} ms (injected: the request was applied, no response came)`), {
            name: 'TimeoutError',
          });
        }
      }
    }
    return next(args);
  };
  client.middlewareStack.add(middleware, { step: 'deserialize', priority: 'low', name: 'streambedFaultInjection', override: true });
  return true;
}

function record(service: FaultService, operation: string, kind: FaultKind): void {
  const key = `${service}:${operation}:${kind}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
  process.stderr.write(`${JSON.stringify({ level: 'warn', msg: 'fault injected', service, operation, kind })}\n`);
}

/** The answers S3 and DynamoDB really give, in their wire formats. */
function errorResponse(service: FaultService, kind: 'error' | 'throttle', random: () => number): RawResponse {
  const requestId = `injected-${Math.floor(random() * 1e12).toString(36)}`;
  if (service === 's3') {
    const [status, code, message] =
      kind === 'throttle'
        ? [503, 'SlowDown', 'Please reduce your request rate.']
        : random() < 0.5
          ? [500, 'InternalError', 'We encountered an internal error. Please try again.']
          : [503, 'ServiceUnavailable', 'Service is unable to handle request.'];
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId><HostId>injected</HostId></Error>`;
    return { statusCode: status, headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId }, body: Readable.from([Buffer.from(body)]) };
  }
  const [status, type, message] =
    kind === 'throttle'
      ? [400, 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded.']
      : random() < 0.5
        ? [500, 'com.amazonaws.dynamodb.v20120810#InternalServerError', 'Internal server error']
        : [503, 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable', 'The service is currently unavailable.'];
  return {
    statusCode: status,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId, 'x-amzn-errortype': type.split('#')[1] },
    body: Readable.from([Buffer.from(JSON.stringify({ __type: type, message }))]),
  };
}

function connectionReset(message: string): Error {
  return Object.assign(new Error(message), { code: 'ECONNRESET' });
}

/** An answer thrown away must not keep its socket busy. */
function discard(response: RawResponse | undefined): void {
  const body = response?.body as { destroy?: () => void; resume?: () => void } | undefined;
  if (body && typeof body.resume === 'function') body.resume();
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
