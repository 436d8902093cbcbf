/**
 * Event-source triggers end to end on a dedicated local stack (STREAMBED_CONFIG with fixture
 * handlers that log what they receive): delivery exactly once and in order per partition in the
 * self-managed Kafka event shape (checked with Powertools' schema), a poison record isolated by
 * bisection and dead-lettered, and a partial batch response resuming at the reported offset.
 * The topics are created after the stack started: the triggers wait for them.
 */
import { KafkaSelfManagedEventSchema } from '@aws-lambda-powertools/parser/schemas/kafka';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type Api } from '../../helpers/http';
import { spawnLocalStack, type LocalStackProcess } from '../../helpers/local-stack-process';
import { readLog, recordsOf, text, waitFor, writeConfig, type LoggedInvocation } from './helpers';

const WAIT_MS = 90_000;
const TEST_MS = 150_000;

describe.skipIf(Boolean(process.env.AWS_ENDPOINT_URL))('event-source triggers on the local stack', () => {
  let dir: string;
  let logFile: string;
  let stack: LocalStackProcess;
  let http: Api;

  const invocations = async (trigger: string): Promise<LoggedInvocation[]> => (await readLog(logFile)).filter((i) => i.trigger === trigger);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'streambed-triggers-'));
    logFile = join(dir, 'invocations.jsonl');
    const config = await writeConfig(dir, [
      { name: 'all', topic: 'trig-orders', handler: '#record', startingPosition: 'TRIM_HORIZON', batchSize: 20, maximumBatchingWindowMs: 50 },
      {
        name: 'poisoned',
        topic: 'trig-poison',
        handler: '#poison',
        startingPosition: 'TRIM_HORIZON',
        batchSize: 10,
        maximumBatchingWindowMs: 1000,
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: 1,
        onFailureTopic: 'trig-poison-dlq',
      },
      { name: 'partial', topic: 'trig-partial', handler: '#partial', startingPosition: 'TRIM_HORIZON', batchSize: 10, maximumBatchingWindowMs: 1000, reportBatchItemFailures: true },
    ]);
    stack = await spawnLocalStack({ dataDir: join(dir, 'data'), env: { STREAMBED_CONFIG: config, TRIGGER_TEST_LOG: logFile } });
    http = api(stack.url);
    for (const [name, partitions] of [['trig-orders', 4], ['trig-poison', 1], ['trig-poison-dlq', 1], ['trig-partial', 1]] as const) {
      expect((await http.post('/v1/topics', { name, partitions })).status).toBe(201);
    }
  });

  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers 200 records over 4 partitions exactly once each, in order per partition, in the self-managed Kafka shape', async () => {
    // Two produce calls per partition; every tenth record has no key; one header per record.
    for (let round = 0; round < 2; round++) {
      for (let p = 0; p < 4; p++) {
        const records = Array.from({ length: 25 }, (_, i) => {
          const n = round * 25 + i;
          return { partition: p, value: `p${p}-${n}`, ...(n % 10 === 0 ? {} : { key: `k${n}` }), headers: [{ key: 'h', value: 'v' }] };
        });
        expect((await http.post('/v1/topics/trig-orders/records', { records })).status).toBe(200);
      }
    }
    const all = await waitFor(
      async () => {
        const inv = await invocations('record');
        return inv.flatMap(recordsOf).length >= 200 ? inv : undefined;
      },
      WAIT_MS,
      async () => `${(await invocations('record')).flatMap(recordsOf).length} of 200 records delivered\n${stack.output()}`,
    );
    for (const inv of all) {
      const parsed = KafkaSelfManagedEventSchema.safeParse(inv.event);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      expect(inv.event.eventSource).toBe('SelfManagedKafka');
      expect(inv.event.bootstrapServers).toBe(stack.url);
      const keys = Object.keys(inv.event.records);
      expect(keys).toHaveLength(1); // one partition per invocation
      expect(recordsOf(inv).length).toBeLessThanOrEqual(20);
    }
    for (let p = 0; p < 4; p++) {
      const delivered = all.flatMap((inv) => inv.event.records[`trig-orders-${p}`] ?? []);
      expect(delivered.map((r) => r.offset)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(delivered.map((r) => text(r.value))).toEqual(Array.from({ length: 50 }, (_, i) => `p${p}-${i}`));
      for (const r of delivered) {
        expect(r.topic).toBe('trig-orders');
        expect(r.partition).toBe(p);
        expect(r.timestampType).toBe('CREATE_TIME');
        expect(r.headers).toEqual([{ h: [118] }]);
        if (r.offset % 10 === 0) expect(r).not.toHaveProperty('key');
        else expect(text(r.key)).toBe(`k${r.offset}`);
      }
    }
    // The position is the consumer group trigger.all, visible like any group.
    const groups = await http.get('/v1/groups');
    expect(groups.body.groups.map((g: { group: string }) => g.group)).toContain('trigger.all');
    const offsets = await waitFor(
      async () => {
        const res = await http.get('/v1/groups/trigger.all/offsets?topic=trig-orders');
        return res.body.offsets.every((o: { offset: number }) => o.offset === 50) ? res.body.offsets : undefined;
      },
      WAIT_MS,
      async () => JSON.stringify((await http.get('/v1/groups/trigger.all/offsets?topic=trig-orders')).body),
    );
    expect(offsets.map((o: { lag: number }) => o.lag)).toEqual([0, 0, 0, 0]);
  }, TEST_MS);

  it('isolates a poison record by bisection, dead-letters it with its headers, and delivers the records around it', async () => {
    const records = Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: i === 4 ? 'poison' : `ok-${i}`, headers: [{ key: 'origin', value: `o${i}` }] }));
    expect((await http.post('/v1/topics/trig-poison/records', { records: records.map((r) => ({ ...r, partition: 0 })) })).status).toBe(200);
    const dlq = await waitFor(
      async () => {
        const res = await http.get('/v1/topics/trig-poison-dlq/partitions/0/records?offset=0');
        return res.body.records?.length > 0 ? res.body.records : undefined;
      },
      WAIT_MS,
      () => stack.output(),
    );
    expect(dlq).toHaveLength(1);
    const dead = dlq[0];
    expect(dead.key).toBe('k4');
    expect(dead.value).toBe('poison');
    const headers = Object.fromEntries(dead.headers.map((h: { key: string; value: string }) => [h.key, h.value]));
    expect(headers).toMatchObject({
      origin: 'o4',
      'streambed.trigger': 'poisoned',
      'streambed.attempts': '2', // the first attempt of the lone record and 1 retry
      'streambed.source.topic': 'trig-poison',
      'streambed.source.partition': '0',
      'streambed.source.offset': '4',
    });
    expect(headers['streambed.error']).toContain('cannot digest poison');

    // Every other record reached the handler in a successful invocation, once, in order.
    const done = await waitFor(
      async () => {
        const res = await http.get('/v1/groups/trigger.poisoned/offsets?topic=trig-poison');
        return res.body.offsets?.[0]?.offset === 10 ? true : undefined;
      },
      WAIT_MS,
      () => stack.output(),
    );
    expect(done).toBe(true);
    const inv = await invocations('poison');
    const succeeded = inv.filter((i) => i.ok).flatMap(recordsOf);
    expect(succeeded.map((r) => r.offset)).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9]);
    // Bisection: failed batches shrink by halves down to the poison record alone.
    const failedSizes = inv.filter((i) => !i.ok).map((i) => recordsOf(i).length);
    expect(failedSizes).toEqual([10, 5, 2, 1, 1]);
  }, TEST_MS);

  it('resumes at the lowest offset of a partial batch response', async () => {
    const records = Array.from({ length: 10 }, (_, i) => ({ partition: 0, value: `v${i}` }));
    expect((await http.post('/v1/topics/trig-partial/records', { records })).status).toBe(200);
    const inv = await waitFor(
      async () => {
        const list = await invocations('partial');
        return list.length >= 2 ? list : undefined;
      },
      20_000,
      async () => `${JSON.stringify(await invocations('partial'))}\n${stack.output()}`,
    );
    const offsets = inv.map((i) => recordsOf(i).map((r) => r.offset));
    // 0..9 with 3 and 7 reported failed → delivery resumes at 3 (the lowest), and 3..9 succeeds.
    expect(offsets.slice(0, 2)).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [3, 4, 5, 6, 7, 8, 9],
    ]);
    const res = await waitFor(
      async () => {
        const r = await http.get('/v1/groups/trigger.partial/offsets?topic=trig-partial');
        return r.body.offsets?.[0]?.offset === 10 ? r : undefined;
      },
      WAIT_MS,
      () => stack.output(),
    );
    expect(res.body.offsets[0].lag).toBe(0);
    expect(await invocations('partial')).toHaveLength(2);
  }, TEST_MS);
});
