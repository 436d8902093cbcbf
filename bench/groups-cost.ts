/**
 * DynamoDB cost of consumer-group calls, measured: requests per call (counted on the SDK client)
 * and the capacity units DynamoDB bills for them (ReturnConsumedCapacity, as dynalite computes
 * it with DynamoDB's sizing rules), for groups of several sizes. Also the size of the group item.
 *
 *   npx tsx bench/groups-cost.ts
 *
 * Runs the lib directly over the embedded emulators in this process (no HTTP), so only the
 * storage calls are counted. Wall-clock numbers are deliberately not reported.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitOffsets, heartbeat, joinGroup } from '../lib/groups';
import { createTopic } from '../lib/log';
import { ensureResources } from '../lib/local/bootstrap';
import { startEmulators } from '../lib/local/emulators';
import { createStorage } from '../lib/storage';
import { createClients, storageConfigFromEnv } from '../lib/storage/clients';
import { itemBytes } from '../lib/storage/item-size';

interface Tally {
  requests: Record<string, number>;
  read: number;
  write: number;
}

const SCENARIOS = [
  { members: 1, partitions: 12 },
  { members: 3, partitions: 12 },
  { members: 10, partitions: 100 },
  { members: 50, partitions: 500 },
  { members: 200, partitions: 1024 },
];

const BEATS = 20;

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'streambed-bench-groups-'));
  const emulators = await startEmulators({ dataDir, s3Port: 0, dynamoPort: 0 });
  const clients = createClients(storageConfigFromEnv({ STREAMBED_S3_ENDPOINT: emulators.s3Endpoint, STREAMBED_DYNAMODB_ENDPOINT: emulators.dynamoEndpoint }));
  await ensureResources(clients);
  const storage = createStorage(clients);

  let tally: Tally = { requests: {}, read: 0, write: 0 };
  clients.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const name = String(context.commandName).replace(/Command$/, '');
      tally.requests[name] = (tally.requests[name] ?? 0) + 1;
      const out = await next(args);
      const consumed = (out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      for (const c of [consumed].flat() as Array<{ ReadCapacityUnits?: number; WriteCapacityUnits?: number; CapacityUnits?: number } | undefined>) {
        if (!c) continue;
        const isWrite = /Put|Update|Delete|BatchWrite/.test(name);
        const units = c.CapacityUnits ?? (isWrite ? c.WriteCapacityUnits : c.ReadCapacityUnits) ?? 0;
        if (isWrite) tally.write += units;
        else tally.read += units;
      }
      return out;
    },
    { step: 'initialize', name: 'benchCapacity' },
  );
  const measure = async (fn: () => Promise<unknown>, times = 1): Promise<Tally> => {
    tally = { requests: {}, read: 0, write: 0 };
    for (let i = 0; i < times; i++) await fn();
    const per: Tally = { requests: {}, read: tally.read / times, write: tally.write / times };
    for (const [k, v] of Object.entries(tally.requests)) per.requests[k] = v / times;
    return per;
  };
  const fmt = (t: Tally): string =>
    `${Object.entries(t.requests)
      .map(([k, v]) => `${+v.toFixed(2)} ${k}`)
      .join(' + ')} | ${+t.read.toFixed(2)} RCU | ${+t.write.toFixed(2)} WCU`;

  const lines = [
    '| members | partitions | group item | heartbeat: requests | RCU | WCU | join (the last member) | member commit of 1 partition | the group\'s first commit |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  try {
    for (const s of SCENARIOS) {
      const topic = `bench-${s.members}-${s.partitions}`;
      const group = `bench-group-${s.members}-${s.partitions}`;
      await createTopic(storage, { name: topic, partitions: s.partitions });
      const joined = [];
      for (let i = 0; i < s.members - 1; i++) joined.push(await joinGroup(storage, group, { topics: [topic], sessionTimeoutMs: 600_000 }));
      let last: Awaited<ReturnType<typeof joinGroup>> | undefined;
      const join = await measure(async () => {
        last = await joinGroup(storage, group, { topics: [topic], sessionTimeoutMs: 600_000 });
      });
      const generation = last!.generation;
      const beat = await measure(() => heartbeat(storage, group, last!.memberId, generation), BEATS);
      const commitOne = (offset: number) => () =>
        commitOffsets(storage, group, { memberId: last!.memberId, generation, offsets: [{ topic, partition: last!.assignment[0]?.partition ?? 0, offset }] });
      // The group's first commit also lists it and flags it (two more updates, once per group).
      const firstCommit = await measure(commitOne(1));
      const commit = await measure(commitOne(2), BEATS);
      const { meta } = await storage.groups.read(group);
      const bytes = itemBytes(meta as unknown as Record<string, unknown>);
      const [requests, rcu, wcu] = fmt(beat).split(' | ');
      lines.push(`| ${s.members} | ${s.partitions} | ${(bytes / 1024).toFixed(1)} KB | ${requests} | ${rcu} | ${wcu} | ${fmt(join)} | ${fmt(commit)} | ${fmt(firstCommit)} |`);
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
