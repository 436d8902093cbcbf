/**
 * Crash points of the append path with a real process kill (SIGKILL from inside, at the fail
 * point): the local stack dies mid-request, restarts on the same data, and must have lost no
 * acknowledged record and left no unreadable gap (DESIGN.md invariant 6).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../helpers/http';
import { spawnLocalStack } from '../helpers/local-stack-process';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function readAll(url: string, topic: string): Promise<{ values: string[]; highWatermark: number }> {
  const http = api(url);
  const values: string[] = [];
  let offset = 0;
  let highWatermark = 0;
  for (let guard = 0; guard < 100; guard++) {
    const res = await http.get(`/v1/topics/${topic}/partitions/0/records?offset=${offset}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    highWatermark = res.body.highWatermark;
    res.body.records.forEach((r: { offset: number; value: string }, i: number) => {
      expect(r.offset).toBe(offset + i);
      values.push(r.value);
    });
    if (res.body.nextOffset >= highWatermark) break;
    offset = res.body.nextOffset;
  }
  return { values, highWatermark };
}

describe.skipIf(Boolean(process.env.AWS_ENDPOINT_URL))('kill -9 inside an append', () => {
  it.each([
    ['append.after-segment-put', ['r0', 'r1'], ['r0', 'r1', 'r3'], 3],
    ['append.after-commit', ['r0', 'r1', 'r2'], ['r0', 'r1', 'r2', 'r3'], 4],
  ])('at %s: acknowledged records survive, the log has no gap', async (point, afterRestart, expected, hwm) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'streambed-crash-'));
    dirs.push(dataDir);
    const topic = 'crashy';
    // The third append reaches the fail point and the process SIGKILLs itself there.
    const first = await spawnLocalStack({ dataDir, env: { STREAMBED_FAILPOINTS: `${point}=crash@3` } });
    const http = api(first.url);
    expect((await http.post('/v1/topics', { name: topic })).status).toBe(201);
    const acked: string[] = [];
    for (const value of ['r0', 'r1']) {
      const res = await http.post(`/v1/topics/${topic}/records`, { records: [{ value }] });
      expect(res.status).toBe(200);
      acked.push(value);
    }
    await expect(http.post(`/v1/topics/${topic}/records`, { records: [{ value: 'r2' }] })).rejects.toThrow();
    await first.waitExit();

    const second = await spawnLocalStack({ dataDir });
    try {
      // Read first: the reader alone must roll the newest commit forward if its index entry is missing.
      const recovered = await readAll(second.url, topic);
      expect(recovered.values).toEqual(afterRestart);
      expect(recovered.highWatermark).toBe(hwm - 1);
      const again = api(second.url);
      const res = await again.post(`/v1/topics/${topic}/records`, { records: [{ value: 'r3' }] });
      expect(res.status).toBe(200);
      expect(res.body.records[0].offset).toBe(hwm - 1);
      const { values, highWatermark } = await readAll(second.url, topic);
      expect(highWatermark).toBe(hwm);
      expect(values).toEqual(expected);
      for (const v of acked) expect(values).toContain(v);
    } finally {
      await second.stop();
    }
  });
});
