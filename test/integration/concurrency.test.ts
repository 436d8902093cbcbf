import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api, uniqueTopic, type Api } from '../helpers/http';

let http: Api;
beforeAll(() => {
  http = api(inject('baseUrl'));
});

describe('concurrent writers on one partition', () => {
  it('8 writers get unique contiguous offsets, in commit order, and every acknowledged record reads back', async () => {
    const name = uniqueTopic('race');
    expect((await http.post('/v1/topics', { name })).status).toBe(201);
    const WRITERS = 8;
    const REQUESTS = 15;
    const acked = new Map<number, string>();
    const perWriter: number[][] = [];

    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        const mine: number[] = [];
        perWriter[w] = mine;
        for (let i = 0; i < REQUESTS; i++) {
          const values = [`w${w}-r${i}-a`, `w${w}-r${i}-b`];
          const res = await http.post(`/v1/topics/${name}/records`, { records: values.map((value) => ({ value, partition: 0 })) });
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          res.body.records.forEach((r: { offset: number }, k: number) => {
            expect(acked.has(r.offset), `offset ${r.offset} given twice`).toBe(false);
            acked.set(r.offset, values[k]);
            mine.push(r.offset);
          });
          // The two records of one request are one batch: adjacent offsets.
          expect(res.body.records[1].offset).toBe(res.body.records[0].offset + 1);
        }
      }),
    );

    const total = WRITERS * REQUESTS * 2;
    expect([...acked.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i));
    // A writer's later request (sent after the earlier one was acknowledged) has higher offsets.
    for (const mine of perWriter) expect(mine).toEqual([...mine].sort((a, b) => a - b));

    const read = new Map<number, string>();
    let offset = 0;
    while (offset < total) {
      const res = await http.get(`/v1/topics/${name}/partitions/0/records?offset=${offset}&maxRecords=1000`);
      expect(res.status).toBe(200);
      expect(res.body.highWatermark).toBe(total);
      for (const r of res.body.records) read.set(r.offset, r.value);
      expect(res.body.nextOffset).toBeGreaterThan(offset);
      offset = res.body.nextOffset;
    }
    expect(read).toEqual(acked);
  });
});
