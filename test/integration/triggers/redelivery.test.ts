/**
 * At least once across a crash: the local stack is killed (SIGKILL, no shutdown code) while a
 * trigger is delivering, restarted on the same data, and delivery resumes from the last committed
 * position: every record reaches the handler (nothing skipped), in order, and the restarted stack
 * starts no later than where the killed one stopped delivering.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api } from '../../helpers/http';
import { spawnLocalStack, type LocalStackProcess } from '../../helpers/local-stack-process';
import { readLog, recordsOf, waitFor, writeConfig } from './helpers';

const TOTAL = 300;
const PARTITIONS = 2;

describe.skipIf(Boolean(process.env.AWS_ENDPOINT_URL))('trigger delivery across kill -9', () => {
  let dir: string;
  const stacks: LocalStackProcess[] = [];
  afterAll(async () => {
    for (const s of stacks) await s.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('redelivers from the last committed position after a restart, skipping nothing', async () => {
    dir = await mkdtemp(join(tmpdir(), 'streambed-trigger-crash-'));
    const logFile = join(dir, 'invocations.jsonl');
    const config = await writeConfig(dir, [
      { name: 'crash', topic: 'trig-crash', handler: '#slow', startingPosition: 'TRIM_HORIZON', batchSize: 5, maximumBatchingWindowMs: 0 },
    ]);
    // A short lease: the restarted stack takes over the killed one's leases after 2 s.
    const env = { STREAMBED_CONFIG: config, TRIGGER_TEST_LOG: logFile, STREAMBED_TRIGGER_LEASE_MS: '2000' };
    const first = await spawnLocalStack({ dataDir: join(dir, 'data'), env });
    stacks.push(first);
    const http = api(first.url);
    expect((await http.post('/v1/topics', { name: 'trig-crash', partitions: PARTITIONS })).status).toBe(201);
    for (let p = 0; p < PARTITIONS; p++) {
      const records = Array.from({ length: TOTAL / PARTITIONS }, (_, i) => ({ partition: p, value: `v${i}` }));
      expect((await http.post('/v1/topics/trig-crash/records', { records })).status).toBe(200);
    }
    // Kill it mid-delivery: some batches delivered, most not.
    await waitFor(async () => ((await readLog(logFile)).length >= 6 ? true : undefined), 60_000, () => first.output());
    await first.kill9();
    const before = await readLog(logFile);
    const firstPid = before[0].pid;
    expect(before.flatMap(recordsOf).length).toBeLessThan(TOTAL);

    const second = await spawnLocalStack({ dataDir: join(dir, 'data'), env });
    stacks.push(second);
    const done = await waitFor(
      async () => {
        const res = await api(second.url).get('/v1/groups/trigger.crash/offsets?topic=trig-crash');
        return res.body.offsets?.every((o: { offset: number }) => o.offset === TOTAL / PARTITIONS) ? true : undefined;
      },
      90_000,
      async () => `${JSON.stringify((await api(second.url).get('/v1/groups/trigger.crash/offsets?topic=trig-crash')).body)}\n${second.output()}`,
    );
    expect(done).toBe(true);

    const all = await readLog(logFile);
    for (let p = 0; p < PARTITIONS; p++) {
      const key = `trig-crash-${p}`;
      const byFirst = all.filter((i) => i.pid === firstPid).flatMap((i) => i.event.records[key] ?? []).map((r) => r.offset);
      const bySecond = all.filter((i) => i.pid !== firstPid).flatMap((i) => i.event.records[key] ?? []).map((r) => r.offset);
      // Each process delivered a contiguous run in order.
      expect(byFirst).toEqual(Array.from({ length: byFirst.length }, (_, i) => i));
      expect(bySecond.length).toBeGreaterThan(0);
      const resumedAt = bySecond[0];
      expect(bySecond).toEqual(Array.from({ length: TOTAL / PARTITIONS - resumedAt }, (_, i) => resumedAt + i));
      // Nothing skipped: the restart began at or before the first offset the killed stack had not delivered.
      expect(resumedAt).toBeLessThanOrEqual(byFirst.length);
    }
  }, 240_000);
});
