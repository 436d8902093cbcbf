/**
 * The local stack runs maintenance on a timer (API.md, "Local stack"): a stack of its own with a
 * short STREAMBED_MAINTENANCE_INTERVAL_MS applies a topic's retention with no call from anyone,
 * and the HTTP API then answers as the contract says (416 below the log start, `earliest` = it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api, uniqueTopic } from '../../helpers/http';
import { spawnLocalStack, type LocalStackProcess } from '../../helpers/local-stack-process';

let stack: LocalStackProcess | undefined;
let dataDir: string | undefined;
afterAll(async () => {
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Generous: the machine is shared and slow; the timer fires every 500 ms. */
const WAIT_MS = 60_000;

// Against LocalStack (AWS_ENDPOINT_URL) this stack's timer would also run over every other test's
// topics; the embedded emulators give it a data directory of its own.
describe.skipIf(Boolean(process.env.AWS_ENDPOINT_URL))('local stack maintenance timer', () => {
  it('applies retention.ms on its own, and fetches answer from the new log start', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'streambed-maint-'));
    stack = await spawnLocalStack({
      dataDir,
      env: { STREAMBED_MAINTENANCE_INTERVAL_MS: '500', STREAMBED_MAINTENANCE_DELETION_DELAY_MS: '0' },
    });
    const http = api(stack.url);
    const topic = uniqueTopic('timer');
    expect((await http.post('/v1/topics', { name: topic, config: { 'retention.ms': 60_000 } })).status).toBe(201);
    const old = Date.now() - 3_600_000;
    for (const records of [
      [{ value: 'old-0', timestamp: old }, { value: 'old-1', timestamp: old }],
      [{ value: 'old-2', timestamp: old }],
      [{ value: 'new-3' }],
    ]) {
      expect((await http.post(`/v1/topics/${topic}/records`, { records })).status).toBe(200);
    }

    let logStartOffset = 0;
    for (const deadline = Date.now() + WAIT_MS; logStartOffset < 3 && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 200));
      const described = await http.get(`/v1/topics/${topic}`);
      expect(described.status).toBe(200);
      logStartOffset = described.body.partitions[0].logStartOffset;
    }
    expect(logStartOffset, stack.output()).toBe(3);

    const below = await http.get(`/v1/topics/${topic}/partitions/0/records?offset=0`);
    expect(below.status).toBe(416);
    expect(below.body.error.code).toBe('OFFSET_OUT_OF_RANGE');
    expect((await http.get(`/v1/topics/${topic}/partitions/0/offsets?at=earliest`)).body).toEqual({ offset: 3 });
    const from = await http.get(`/v1/topics/${topic}/partitions/0/records?offset=3`);
    expect(from.status).toBe(200);
    expect(from.body).toMatchObject({ logStartOffset: 3, highWatermark: 4, nextOffset: 4 });
    expect(from.body.records.map((r: { offset: number; value: string }) => [r.offset, r.value])).toEqual([[3, 'new-3']]);
    // What it did is in the stack's log, one JSON line per action.
    expect(stack.output()).toMatch(/"msg":"maintenance".*"event":"retention"/);
  });
});
