/** API.md "Idempotent produce" and DESIGN.md invariant 5, over HTTP against the local stack. */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api, uniqueTopic, type Api } from '../helpers/http';

let http: Api;
beforeAll(() => {
  http = api(inject('baseUrl'));
});

async function topic(partitions = 1): Promise<string> {
  const name = uniqueTopic('idem');
  expect((await http.post('/v1/topics', { name, partitions })).status).toBe(201);
  return name;
}

const send = (name: string, body: unknown) => http.post(`/v1/topics/${name}/records`, body);

function batch(id: string, epoch: number, sequences: Record<string, number>, records: Array<{ value: string; partition: number }>) {
  return { producer: { id, epoch, sequences }, records };
}

async function values(name: string, partition = 0): Promise<string[]> {
  const res = await http.get(`/v1/topics/${name}/partitions/${partition}/records?offset=0&maxRecords=10000`);
  return res.body.records.map((r: { value: string }) => r.value);
}

describe('idempotent produce', () => {
  it('a retried request returns the original offsets and appends nothing', async () => {
    const name = await topic();
    await send(name, { records: [{ value: 'other', partition: 0 }] });
    const body = batch('p1', 0, { '0': 0 }, [{ value: 'a', partition: 0 }, { value: 'b', partition: 0 }]);
    const first = await send(name, body);
    expect(first.status).toBe(200);
    expect(first.body.records.map((r: { offset: number }) => r.offset)).toEqual([1, 2]);
    await send(name, { records: [{ value: 'between', partition: 0 }] });
    const retry = await send(name, body);
    expect(retry.status).toBe(200);
    expect(retry.body.records.map((r: { offset: number }) => r.offset)).toEqual([1, 2]);
    const next = await send(name, batch('p1', 0, { '0': 2 }, [{ value: 'c', partition: 0 }]));
    expect(next.body.records[0].offset).toBe(4);
    expect(await values(name)).toEqual(['other', 'a', 'b', 'between', 'c']);
  });

  it('several copies of a retry racing each other append once and all get the original offsets', async () => {
    const name = await topic();
    for (let seq = 0; seq < 5; seq++) {
      const body = batch('racer', 0, { '0': seq * 2 }, [{ value: `v${seq}a`, partition: 0 }, { value: `v${seq}b`, partition: 0 }]);
      const copies = await Promise.all(Array.from({ length: 6 }, () => send(name, body)));
      for (const c of copies) expect(c.status, JSON.stringify(c.body)).toBe(200);
      const offsets = new Set(copies.map((c) => c.body.records.map((r: { offset: number }) => r.offset).join(',')));
      expect([...offsets]).toEqual([`${seq * 2},${seq * 2 + 1}`]);
    }
    expect(await values(name)).toEqual(['v0a', 'v0b', 'v1a', 'v1b', 'v2a', 'v2b', 'v3a', 'v3b', 'v4a', 'v4b']);
  });

  it('a sequence gap gives 409 OUT_OF_ORDER_SEQUENCE and appends nothing', async () => {
    const name = await topic();
    expect((await send(name, batch('gap', 0, { '0': 0 }, [{ value: 'a', partition: 0 }]))).status).toBe(200);
    const gap = await send(name, batch('gap', 0, { '0': 2 }, [{ value: 'x', partition: 0 }]));
    expect(gap.status).toBe(409);
    expect(gap.body.error.code).toBe('OUT_OF_ORDER_SEQUENCE');
    const fresh = await send(name, batch('new-producer', 0, { '0': 7 }, [{ value: 'y', partition: 0 }]));
    expect(fresh.body.error.code).toBe('OUT_OF_ORDER_SEQUENCE');
    expect(await values(name)).toEqual(['a']);
  });

  it('an older epoch gets 409 PRODUCER_FENCED; a newer epoch starts again at 0', async () => {
    const name = await topic();
    expect((await send(name, batch('z', 1, { '0': 0 }, [{ value: 'e1', partition: 0 }]))).status).toBe(200);
    expect((await send(name, batch('z', 2, { '0': 0 }, [{ value: 'e2', partition: 0 }]))).status).toBe(200);
    const zombie = await send(name, batch('z', 1, { '0': 1 }, [{ value: 'zombie', partition: 0 }]));
    expect(zombie.status).toBe(409);
    expect(zombie.body.error.code).toBe('PRODUCER_FENCED');
    // The epoch is checked before the sequence: even a bad sequence with an old epoch is fenced.
    expect((await send(name, batch('z', 0, { '0': 99 }, [{ value: 'older', partition: 0 }]))).body.error.code).toBe('PRODUCER_FENCED');
    expect(await values(name)).toEqual(['e1', 'e2']);
  });

  it('tracks sequences per partition, and refuses a multi-partition request whole when one partition is out of order', async () => {
    const name = await topic(2);
    const ok = await send(name, batch('mp', 0, { '0': 0, '1': 0 }, [{ value: 'p0', partition: 0 }, { value: 'p1a', partition: 1 }, { value: 'p1b', partition: 1 }]));
    expect(ok.status).toBe(200);
    const bad = await send(name, batch('mp', 0, { '0': 1, '1': 5 }, [{ value: 'p0-next', partition: 0 }, { value: 'p1-gap', partition: 1 }]));
    expect(bad.status).toBe(409);
    expect(bad.body.error.code).toBe('OUT_OF_ORDER_SEQUENCE');
    expect(await values(name, 0)).toEqual(['p0']);
    const good = await send(name, batch('mp', 0, { '0': 1, '1': 2 }, [{ value: 'p0-next', partition: 0 }, { value: 'p1c', partition: 1 }]));
    expect(good.body.records.map((r: { partition: number; offset: number }) => [r.partition, r.offset])).toEqual([[0, 1], [1, 2]]);
  });

  it('validates the producer field', async () => {
    const name = await topic(2);
    const cases: unknown[] = [
      { producer: { id: 'p', epoch: 0, sequences: { '0': 0 } }, records: [{ value: 'no partition' }] },
      { producer: { id: 'p', epoch: 0, sequences: { '0': 0 } }, records: [{ value: 'x', partition: 1 }] },
      { producer: { id: '', epoch: 0, sequences: { '0': 0 } }, records: [{ value: 'x', partition: 0 }] },
      { producer: { id: 'p', epoch: -1, sequences: { '0': 0 } }, records: [{ value: 'x', partition: 0 }] },
      { producer: { id: 'p', epoch: 0, sequences: { '0': -1 } }, records: [{ value: 'x', partition: 0 }] },
      { producer: { id: 'p', epoch: 0, sequences: { zero: 0 } }, records: [{ value: 'x', partition: 0 }] },
      { producer: 'p', records: [{ value: 'x', partition: 0 }] },
    ];
    for (const body of cases) {
      const res = await send(name, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('INVALID_REQUEST');
    }
    expect(await values(name, 0)).toEqual([]);
  });
});
