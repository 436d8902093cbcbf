/**
 * Lost commit races are counted: the append loop (lib/log/append.ts) reports each conditional
 * commit that lost to another writer, and the produce operation turns that into the
 * CommitConflicts metric. The race is real: a rival append commits between this writer's read of
 * the leader record and its commit, over the emulators.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleRequest } from '../../../lib/api/app';
import { ROUTES } from '../../../lib/api/routes';
import { appendRecords, createTopic, leaderState } from '../../../lib/log';
import { JsonLogger } from '../../../lib/observability/json-logger';
import { MemoryTelemetry } from '../../../lib/observability/memory-telemetry';
import { observeRequest } from '../../../lib/observability/request-observation';
import type { Storage, TopicItem } from '../../../lib/storage';
import { uniqueTopic } from '../../helpers/http';
import { emulatedStorage, type EmulatedStorage } from '../../helpers/emulated-storage';
import { textRecords as recs } from '../../helpers/records';

let env: EmulatedStorage;
beforeAll(async () => {
  env = await emulatedStorage();
}, 60_000);
afterAll(async () => env?.stop());


/** The real storage, except that before its first commit a rival append commits to the same partition. */
function withRival(storage: Storage, topic: TopicItem): Storage {
  const leaders = Object.create(storage.leaders) as Storage['leaders'];
  let raced = false;
  leaders.commit = async (...args: Parameters<Storage['leaders']['commit']>) => {
    if (!raced) {
      raced = true;
      await appendRecords(storage, topic, 0, recs('rival'));
    }
    return storage.leaders.commit(...args);
  };
  return { ...storage, leaders };
}

describe('commit conflicts', () => {
  it('appendRecords reports each lost race and still appends after the winner', async () => {
    const topic = await createTopic(env.storage, { name: uniqueTopic('conflict'), partitions: 1 });
    let conflicts = 0;
    const result = await appendRecords(withRival(env.storage, topic), topic, 0, recs('mine'), { onCommitConflict: () => conflicts++ });
    expect(conflicts).toBe(1);
    expect(result.baseOffset).toBe(1);
    expect((await leaderState(env.storage, topic, 0)).logEndOffset).toBe(2);
  });

  it('a clean append reports none', async () => {
    const topic = await createTopic(env.storage, { name: uniqueTopic('conflict'), partitions: 1 });
    let conflicts = 0;
    await appendRecords(env.storage, topic, 0, recs('alone'), { onCommitConflict: () => conflicts++ });
    expect(conflicts).toBe(0);
  });

  it('the produce operation counts them as CommitConflicts, by role and operation', async () => {
    const topic = await createTopic(env.storage, { name: uniqueTopic('conflict'), partitions: 1 });
    const telemetry = new MemoryTelemetry(new JsonLogger({ level: 'error', write: () => {} }));
    const route = ROUTES.find((r) => r.operation === 'produce')!;
    const body = Buffer.from(JSON.stringify({ records: [{ value: 'a', partition: 0 }, { value: 'b', partition: 0 }] }));
    const response = await observeRequest(
      telemetry,
      { role: 'produce' },
      async (obs) => {
        obs.setOperation('produce');
        return handleRequest({ route, pathParameters: { topic: topic.name }, query: {}, headers: {}, body }, withRival(env.storage, topic));
      },
      (r) => ({ status: r.status }),
    );
    expect(response.status).toBe(200);
    const metrics = telemetry.metrics.summary('Streambed').metrics;
    const dims = { Role: 'produce', Operation: 'produce' };
    expect(metrics.find((m) => m.name === 'CommitConflicts')).toMatchObject({ dimensions: dims, sum: 1 });
    expect(metrics.find((m) => m.name === 'RecordsIn')).toMatchObject({ dimensions: dims, sum: 2 });
  });
});
