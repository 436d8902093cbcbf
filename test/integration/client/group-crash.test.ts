/**
 * Three consumers in one group read a 6-partition topic while records keep arriving; one of them
 * "crashes" mid-stream: from one moment on, none of its requests reach the server (no heartbeat,
 * no commit, no leave), as if the process died. The server expires it after its session timeout
 * and the two others take its partitions over from the committed offsets.
 *
 * Checked: every produced record is processed at least once (none skipped); each consumer sees
 * each partition in offset order, never jumping forward; the log keeps per-key order; and once
 * the survivors stop, the group's committed offsets are the high watermarks (lag 0).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Streambed, type Consumer } from '../../../lib/client';
import { uniqueTopic } from '../../helpers/http';
import { countingClient, type CountingClient } from './client-helpers';

const PARTITIONS = 6;
const SESSION_TIMEOUT_MS = 4_000;

interface Delivery {
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly seq: number;
}

let url: string;
let admin: ReturnType<Streambed['admin']>;
const everyone: { client: CountingClient; consumer: Consumer }[] = [];

beforeAll(() => {
  url = inject('baseUrl');
  admin = new Streambed({ url }).admin();
});
afterAll(async () => {
  await Promise.all(everyone.map((e) => e.consumer.disconnect()));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('consumer group with a crashing member (local stack)', () => {
  it('processes every record at least once, in per-partition order, when one of three members dies mid-stream', async () => {
    const topic = uniqueTopic('crash');
    const groupId = uniqueTopic('crash-group');
    await admin.createTopic({ topic, numPartitions: PARTITIONS });

    const deliveries: Delivery[][] = [[], [], []];
    for (let i = 0; i < 3; i++) {
      const client = countingClient(url);
      const consumer = client.streambed.consumer({
        groupId,
        fromBeginning: true,
        sessionTimeoutMs: SESSION_TIMEOUT_MS,
        heartbeatInterval: 400,
        autoCommitInterval: 300,
        maxWaitTimeInMs: 500,
        maxRecords: 50,
        retry: { initialRetryTime: 100, retries: 3 },
      });
      await consumer.subscribe({ topics: [topic] });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          const [key, seq] = new TextDecoder().decode(message.value!).split(':');
          deliveries[i].push({ partition, offset: message.offset, key, seq: Number(seq) });
          await sleep(1); // some work per message, so the crash lands mid-stream
        },
      });
      everyone.push({ client, consumer });
    }
    await expect.poll(() => everyone.map((e) => e.consumer.assignment().length).join(','), { timeout: 60_000, interval: 100 }).toBe('2,2,2');

    // Records keep arriving: 40 rounds of 30 keyed records.
    const producer = new Streambed({ url }).producer({ lingerMs: 5 });
    const keys = Array.from({ length: 30 }, (_, k) => `key-${k}`);
    const producing = (async () => {
      for (let round = 0; round < 40; round++) {
        await producer.send({ topic, messages: keys.map((key) => ({ key, value: `${key}:${round}` })) });
        await sleep(20);
      }
      await producer.disconnect();
    })();

    // The victim dies once it is well into its partitions.
    const victim = everyone[2];
    await expect.poll(() => deliveries[2].length, { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(60);
    victim.client.cut();
    const victimPartitions = victim.consumer.assignment().map((tp) => tp.partition);
    expect(victimPartitions).toHaveLength(2);
    await producing;

    // The survivors take the victim's partitions after its session timeout…
    await expect
      .poll(() => everyone.slice(0, 2).map((e) => e.consumer.assignment().length).join(','), { timeout: 60_000, interval: 200 })
      .toBe('3,3');
    // …and process everything up to the end of the log.
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o.high]));
    expect([...ends.values()].reduce((a, b) => a + b, 0)).toBe(1200);
    const processed = (): Set<string> => new Set(deliveries.flat().map((d) => `${d.partition}/${d.offset}`));
    await expect.poll(() => processed().size, { timeout: 90_000, interval: 200 }).toBe(1200);
    for (const [p, end] of ends) for (let o = 0; o < end; o++) expect(processed().has(`${p}/${o}`)).toBe(true);

    // Each consumer saw each partition in offset order: the next delivery is the next offset, or
    // a step back after a restart (a re-read from a commit), never a jump forward.
    for (const mine of deliveries) {
      for (let p = 0; p < PARTITIONS; p++) {
        const offsets = mine.filter((d) => d.partition === p).map((d) => d.offset);
        for (let i = 1; i < offsets.length; i++) expect(offsets[i]).toBeLessThanOrEqual(offsets[i - 1] + 1);
      }
    }
    // The log kept each key's order: by offset, a key's sequence numbers go 0, 1, 2, …
    const byOffset = new Map<string, Delivery>();
    for (const d of deliveries.flat()) byOffset.set(`${d.partition}/${d.offset}`, d);
    for (let p = 0; p < PARTITIONS; p++) {
      const next = new Map<string, number>();
      for (let o = 0; o < ends.get(p)!; o++) {
        const d = byOffset.get(`${p}/${o}`)!;
        expect(d.seq).toBe(next.get(d.key) ?? 0);
        next.set(d.key, d.seq + 1);
      }
    }
    // The victim did not leave: the server expired it; the survivors' progress is committed in full.
    const { groups } = await admin.describeGroups([groupId]);
    expect(groups[0].members).toBe(2);
    await Promise.all(everyone.slice(0, 2).map((e) => e.consumer.disconnect()));
    const lag = await admin.groupLag(groupId, topic);
    expect(lag.map((l) => [l.partition, l.offset, l.lag])).toEqual([...ends].sort((a, b) => a[0] - b[0]).map(([p, end]) => [p, end, 0]));
    expect(victim.client.count('DELETE', /\/members\//)).toBe(0); // it never left: it was expired
  }, 240_000);
});
