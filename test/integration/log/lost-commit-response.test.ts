/**
 * Found by the reliability harness (docs/reliability.md, "Findings"): when DynamoDB applies the
 * commit's conditional UpdateItem but its response is lost, the SDK retries the same UpdateItem,
 * which then fails its condition (the end offset moved — by this very commit). The append used to
 * take that for a lost race and commit the same segment AGAIN at the next offset: one record,
 * acknowledged once, readable at two offsets (DESIGN.md invariant 1). lib/log/append.ts now looks
 * for its own commit after a refusal (the leader's lastCommit, or the index when the refusal came
 * on a retried attempt).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendRecords, createTopic, leaderState, readRecords } from '../../../lib/log';
import { createClients } from '../../../lib/storage/clients';
import { installFaults, parseFaultSpec } from '../../../lib/storage/fault-injection';
import { createStorage, type Storage, type TopicItem } from '../../../lib/storage';
import { uniqueTopic } from '../../helpers/http';
import { emulatedStorage, type EmulatedStorage } from '../../helpers/emulated-storage';
import { textRecords as recs } from '../../helpers/records';

let env: EmulatedStorage;
beforeAll(async () => {
  env = await emulatedStorage();
});
afterAll(async () => env?.stop());


async function readAll(storage: Storage, topic: TopicItem): Promise<string[]> {
  const leader = await leaderState(storage, topic, 0);
  const res = await readRecords(storage, topic, 0, leader, leader.logStartOffset, { maxRecords: 1000, maxBytes: 1 << 20 });
  return res.records.map((r) => r.value!.toString());
}

describe.skipIf(Boolean(process.env.AWS_ENDPOINT_URL))('a commit whose response is lost', () => {
  it('appends the record once (plain producer)', async () => {
    const topic = await createTopic(env.storage, { name: uniqueTopic('lost-commit'), partitions: 1 });
    await appendRecords(env.storage, topic, 0, recs('first'));
    // The next commit UpdateItem is applied, its response lost; the SDK's retry goes through.
    const clients = createClients(env.clients.config);
    const draws = [0];
    installFaults(clients.dynamo, 'dynamodb', parseFaultSpec('dynamodb:UpdateItem:lost:0.5'), () => draws.shift() ?? 0.99);
    try {
      const result = await appendRecords(createStorage(clients), topic, 0, recs('once'));
      expect(await readAll(env.storage, topic)).toEqual(['first', 'once']);
      expect(result.baseOffset).toBe(1);
    } finally {
      clients.s3.destroy();
      clients.dynamo.destroy();
    }
  });
  it('finds its own commit in the index when another writer committed on top before the retry was refused', async () => {
    const topic = await createTopic(env.storage, { name: uniqueTopic('lost-commit-rival'), partitions: 1 });
    await appendRecords(env.storage, topic, 0, recs('first'));
    // The real commit is applied; before the "retry" is refused, a rival appends on top of it
    // (indexing it first, as every writer does before replacing the last commit).
    const leaders = Object.create(env.storage.leaders) as Storage['leaders'];
    leaders.commit = async (...args: Parameters<Storage['leaders']['commit']>) => {
      const outcome = await env.storage.leaders.commit(...args);
      expect(outcome).toBe('committed');
      await appendRecords(env.storage, topic, 0, recs('rival'));
      return 'uncertain';
    };
    const result = await appendRecords({ ...env.storage, leaders }, topic, 0, recs('once'));
    expect(result.baseOffset).toBe(1);
    expect(await readAll(env.storage, topic)).toEqual(['first', 'once', 'rival']);
  });
});
