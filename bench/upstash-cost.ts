/**
 * Storage requests per call of the Upstash-compatible API: DynamoDB requests (by command, counted
 * on the SDK client) and S3 requests, for produce, fetch, consume (steady state, with and without
 * messages) and commit, on one topic of `PARTITIONS` partitions consumed by one instance.
 *
 *   npx tsx bench/upstash-cost.ts
 *
 * Runs the operations directly over the embedded emulators in this process (no HTTP, no Lambda),
 * so only storage calls are counted. Wall-clock numbers are deliberately not reported.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiRequest } from '../lib/api/http';
import { matchRoute } from '../lib/api/routes';
import { UPSTASH_OPERATIONS } from '../lib/api/upstash/operations';
import { createTopic } from '../lib/log';
import { ensureResources } from '../lib/local/bootstrap';
import { startEmulators } from '../lib/local/emulators';
import { createStorage } from '../lib/storage';
import { createClients, storageConfigFromEnv } from '../lib/storage/clients';

const PARTITIONS = [1, 4, 12];
const TIMES = 10;

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'streambed-bench-upstash-'));
  const emulators = await startEmulators({ dataDir, s3Port: 0, dynamoPort: 0 });
  const clients = createClients(storageConfigFromEnv({ STREAMBED_S3_ENDPOINT: emulators.s3Endpoint, STREAMBED_DYNAMODB_ENDPOINT: emulators.dynamoEndpoint }));
  await ensureResources(clients);
  const storage = createStorage(clients);
  let counts: Record<string, number> = {};
  for (const [client, prefix] of [
    [clients.doc, ''],
    [clients.s3, 'S3 '],
  ] as const) {
    (client.middlewareStack as { add: (mw: unknown, opts: unknown) => void }).add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        const name = prefix + String(context.commandName).replace(/Command$/, '');
        counts[name] = (counts[name] ?? 0) + 1;
        return next(args);
      },
      { step: 'initialize', name: 'benchCount' },
    );
  }
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<unknown> => {
    const match = matchRoute(method, path);
    const request: ApiRequest = { route: match.route, pathParameters: match.pathParameters, query: {}, headers, body: Buffer.from(body === undefined ? '' : JSON.stringify(body)) };
    const op = UPSTASH_OPERATIONS[match.route.operation as keyof typeof UPSTASH_OPERATIONS];
    const res = await op(storage, request);
    if (res.status !== 200) throw new Error(`${method} ${path}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const measure = async (fn: () => Promise<unknown>): Promise<string> => {
    counts = {};
    for (let i = 0; i < TIMES; i++) await fn();
    return Object.entries(counts)
      .sort()
      .map(([k, v]) => `${+(v / TIMES).toFixed(2)} ${k}`)
      .join(' + ');
  };

  const lines = ['| partitions | call | storage requests per call |', '| --- | --- | --- |'];
  try {
    for (const partitions of PARTITIONS) {
      const topic = `bench-upstash-${partitions}`;
      const group = `bench-upstash-group-${partitions}`;
      await createTopic(storage, { name: topic, partitions });
      const ten = Array.from({ length: 10 }, (_, i) => ({ topic, value: `v${i}`, key: `k${i}` }));
      lines.push(`| ${partitions} | produce 10 keyed messages | ${await measure(() => call('POST', '/produce', ten))} |`);
      lines.push(`| ${partitions} | fetch partition 0 from offset 0 (up to 10 segments: what the 10 produce calls put there) | ${await measure(() => call('POST', '/fetch', { topic, partition: 0, offset: 0, timeout: 0 }))} |`);
      const consume = () => call('POST', `/consume/${group}/i`, { topic, timeout: 0 }, { 'kafka-auto-offset-reset': 'earliest', 'kafka-auto-commit-interval': '3600000' });
      await consume(); // creates the instance (a join) and reads the backlog
      lines.push(`| ${partitions} | consume, nothing new | ${await measure(consume)} |`);
      lines.push(`| ${partitions} | produce 10 + consume them | ${await measure(async () => {
        await call('POST', '/produce', ten);
        await consume();
      })} |`);
      lines.push(`| ${partitions} | commit everything consumed | ${await measure(() => call('POST', `/commit/${group}/i`))} |`);
    }
  } finally {
    clients.s3.destroy();
    clients.dynamo.destroy();
    await emulators.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
