/**
 * Injected storage faults against the real emulators: each kind must look to the product exactly
 * like the real failure (the SDK's own exception types and retries), and `lost`/`timeout` must
 * apply the request although the caller sees an error.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClients, type StorageClients } from '../../../lib/storage/clients';
import { injectedFaults, installFaults, parseFaultSpec } from '../../../lib/storage/fault-injection';
import { createStorage, type Storage } from '../../../lib/storage';
import { emulatedStorage, type EmulatedStorage } from '../../helpers/emulated-storage';

let env: EmulatedStorage;
const opened: StorageClients[] = [];
beforeAll(async () => {
  env = await emulatedStorage();
});
afterAll(async () => env?.stop());
afterEach(() => {
  for (const c of opened.splice(0)) {
    c.s3.destroy();
    c.dynamo.destroy();
  }
});

/** A Storage over fresh clients with `spec` installed (whatever STREAMBED_FAULTS says). */
function faulty(spec: string): Storage {
  const clients = createClients(env.clients.config);
  opened.push(clients);
  const rules = parseFaultSpec(spec);
  installFaults(clients.s3, 's3', rules);
  installFaults(clients.dynamo, 'dynamodb', rules);
  return createStorage(clients);
}

interface SdkError {
  name: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

async function causeOf(p: Promise<unknown>): Promise<SdkError> {
  const err = (await p.then(
    () => undefined,
    (e: unknown) => e,
  )) as { code?: string; cause?: SdkError } | undefined;
  expect(err, 'the call should have failed').toBeDefined();
  expect(err!.code).toBe('UNAVAILABLE');
  return err!.cause!;
}

let n = 0;
const fresh = (): string => `fault-${process.pid}-${n++}`;

describe.skipIf(Boolean(process.env.AWS_ENDPOINT_URL))('injected storage faults', () => {
  it('error: a real S3 5xx, retried by the SDK, never applied', async () => {
    const cause = await causeOf(faulty('s3:PutObject:error:1').segments.putSegment(fresh(), 0, Buffer.from('x')));
    expect(['InternalError', 'ServiceUnavailable']).toContain(cause.name);
    expect([500, 503]).toContain(cause.$metadata?.httpStatusCode);
    expect(cause.$metadata?.attempts).toBe(3);
  });

  it('throttle: DynamoDB ProvisionedThroughputExceededException (400), retried', async () => {
    const cause = await causeOf(faulty('dynamodb:GetItem:throttle:1').leaders.get(fresh(), 0));
    expect(cause).toMatchObject({ name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400, attempts: 3 } });
  });

  it('reset: a connection reset before sending; the write is not applied', async () => {
    const topicId = fresh();
    const cause = await causeOf(faulty('dynamodb:PutItem:reset:1').leaders.ensure(topicId, 0));
    expect(cause).toMatchObject({ code: 'ECONNRESET', $metadata: { attempts: 3 } });
    expect(await env.storage.leaders.get(topicId, 0)).toBeUndefined();
  });

  it('lost: the conditional write IS applied, every attempt, though the caller sees a reset', async () => {
    const topicId = fresh();
    await env.storage.leaders.ensure(topicId, 0);
    const cause = await causeOf(faulty('dynamodb:UpdateItem:lost:1').leaders.bumpEpoch(topicId, 0));
    expect(cause).toMatchObject({ code: 'ECONNRESET', $metadata: { attempts: 3 } });
    // Three attempts, three applied increments: exactly what a lost response does to a non-idempotent write.
    expect((await env.storage.leaders.get(topicId, 0))?.leaderEpoch).toBe(3);
  });

  it('timeout: applied, then a TimeoutError', async () => {
    const topicId = fresh();
    const cause = await causeOf(faulty('dynamodb:PutItem:timeout:20:1').leaders.ensure(topicId, 0));
    expect(cause.name).toBe('TimeoutError');
    expect(await env.storage.leaders.get(topicId, 0)).toMatchObject({ logEndOffset: 0, leaderEpoch: 0 });
  });

  it('latency: the call succeeds, and the fault is counted', async () => {
    const before = injectedFaults().get('s3:PutObject:latency') ?? 0;
    const storage = faulty('s3:PutObject:latency:1-5:1');
    const key = await storage.segments.putSegment(fresh(), 0, Buffer.from('hello'));
    expect((await env.storage.segments.getSegment(key)).toString()).toBe('hello');
    expect(injectedFaults().get('s3:PutObject:latency')).toBe(before + 1);
  });

  it('only the named operations fail', async () => {
    const storage = faulty('dynamodb:UpdateItem:error:1');
    const topicId = fresh();
    await expect(storage.leaders.ensure(topicId, 0)).resolves.toMatchObject({ logEndOffset: 0 });
  });

  it('adds nothing to the clients unless STREAMBED_FAULTS is set', () => {
    const saved = process.env.STREAMBED_FAULTS;
    try {
      delete process.env.STREAMBED_FAULTS;
      const plain = createClients(env.clients.config);
      process.env.STREAMBED_FAULTS = 's3:GetObject:error:0.5';
      const armed = createClients(env.clients.config);
      opened.push(plain, armed);
      expect(plain.s3.middlewareStack.identify().join()).not.toContain('streambedFaultInjection');
      expect(plain.dynamo.middlewareStack.identify().join()).not.toContain('streambedFaultInjection');
      expect(armed.s3.middlewareStack.identify().join()).toContain('streambedFaultInjection');
      // No rule for DynamoDB: its client stays untouched.
      expect(armed.dynamo.middlewareStack.identify().join()).not.toContain('streambedFaultInjection');
    } finally {
      if (saved === undefined) delete process.env.STREAMBED_FAULTS;
      else process.env.STREAMBED_FAULTS = saved;
    }
  });
});
