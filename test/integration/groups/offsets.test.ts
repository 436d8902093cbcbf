import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api, type Api } from '../../helpers/http';
import { createTopic, join, uniqueGroup } from './helpers';

let http: Api;
beforeAll(() => {
  http = api(inject('baseUrl'));
});

async function produce(topic: string, partition: number, n: number): Promise<void> {
  const res = await http.post(`/v1/topics/${topic}/records`, { records: Array.from({ length: n }, (_, i) => ({ value: `v${i}`, partition })) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

const offsetsOf = async (group: string, topic: string) => {
  const res = await http.get(`/v1/groups/${group}/offsets?topic=${topic}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.offsets as Array<{ topic: string; partition: number; offset: number | null; metadata: string | null; highWatermark: number; lag: number }>;
};

describe('POST /v1/groups/{group}/offsets and GET …/offsets?topic=', () => {
  it('stores a member commit; GET gives one row per partition with high watermark and lag', async () => {
    const topic = await createTopic(http, 3);
    await produce(topic, 0, 10);
    await produce(topic, 1, 4);
    const group = uniqueGroup();
    const m = await join(http, group, { topics: [topic], sessionTimeoutMs: 30000 });
    const res = await http.post(`/v1/groups/${group}/offsets`, {
      memberId: m.memberId,
      generation: m.generation,
      offsets: [
        { topic, partition: 0, offset: 7, metadata: 'host-a' },
        { topic, partition: 1, offset: 4 },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(await offsetsOf(group, topic)).toEqual([
      { topic, partition: 0, offset: 7, metadata: 'host-a', highWatermark: 10, lag: 3 },
      { topic, partition: 1, offset: 4, metadata: null, highWatermark: 4, lag: 0 },
      // Never committed: offset null, lag = high watermark − log start offset.
      { topic, partition: 2, offset: null, metadata: null, highWatermark: 0, lag: 0 },
    ]);
  });

  it('gives an uncommitted partition lag = high watermark − log start offset', async () => {
    const topic = await createTopic(http, 1);
    await produce(topic, 0, 5);
    expect(await offsetsOf(uniqueGroup(), topic)).toEqual([{ topic, partition: 0, offset: null, metadata: null, highWatermark: 5, lag: 5 }]);
  });

  it('a later commit replaces an earlier one (also going backwards: a reset)', async () => {
    const topic = await createTopic(http, 1);
    await produce(topic, 0, 6);
    const group = uniqueGroup();
    const m = await join(http, group, { topics: [topic], sessionTimeoutMs: 30000 });
    for (const offset of [2, 6, 1]) {
      const res = await http.post(`/v1/groups/${group}/offsets`, { memberId: m.memberId, generation: m.generation, offsets: [{ topic, partition: 0, offset }] });
      expect(res.status).toBe(200);
      expect((await offsetsOf(group, topic))[0]).toMatchObject({ offset, lag: 6 - offset });
    }
  });

  it('refuses a commit from a stale generation with 409 ILLEGAL_GENERATION and keeps the stored offset', async () => {
    const topic = await createTopic(http, 2);
    const group = uniqueGroup();
    const a = await join(http, group, { topics: [topic], sessionTimeoutMs: 30000 });
    expect((await http.post(`/v1/groups/${group}/offsets`, { memberId: a.memberId, generation: a.generation, offsets: [{ topic, partition: 0, offset: 3 }] })).status).toBe(200);
    await join(http, group, { topics: [topic], sessionTimeoutMs: 30000 }); // a rebalance
    const stale = await http.post(`/v1/groups/${group}/offsets`, {
      memberId: a.memberId,
      generation: a.generation,
      offsets: [{ topic, partition: 0, offset: 9 }],
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('ILLEGAL_GENERATION');
    expect(stale.body.error.message).toMatch(/generation/);
    expect((await offsetsOf(group, topic))[0].offset).toBe(3);
    // With the current generation (from a heartbeat) the same commit is accepted.
    const hb = await http.post(`/v1/groups/${group}/members/${a.memberId}/heartbeat`, { generation: a.generation });
    const fresh = await http.post(`/v1/groups/${group}/offsets`, { memberId: a.memberId, generation: hb.body.generation, offsets: [{ topic, partition: 0, offset: 9 }] });
    expect(fresh.status).toBe(200);
    expect((await offsetsOf(group, topic))[0].offset).toBe(9);
  });

  it('refuses a commit from an unknown member with 404 UNKNOWN_MEMBER_ID', async () => {
    const topic = await createTopic(http, 1);
    const group = uniqueGroup();
    const m = await join(http, group, { topics: [topic], sessionTimeoutMs: 30000 });
    const res = await http.post(`/v1/groups/${group}/offsets`, { memberId: 'stranger', generation: m.generation, offsets: [{ topic, partition: 0, offset: 1 }] });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('UNKNOWN_MEMBER_ID');
    expect((await offsetsOf(group, topic))[0].offset).toBeNull();
  });

  it('accepts a standalone commit (no memberId, no generation), with or without members', async () => {
    const topic = await createTopic(http, 2);
    await produce(topic, 1, 3);
    const group = uniqueGroup();
    const res = await http.post(`/v1/groups/${group}/offsets`, { offsets: [{ topic, partition: 1, offset: 2, metadata: 'tool' }] });
    expect(res.status).toBe(200);
    expect((await offsetsOf(group, topic))[1]).toEqual({ topic, partition: 1, offset: 2, metadata: 'tool', highWatermark: 3, lag: 1 });
    await join(http, group, { topics: [topic], sessionTimeoutMs: 30000 });
    expect((await http.post(`/v1/groups/${group}/offsets`, { offsets: [{ topic, partition: 1, offset: 3 }] })).status).toBe(200);
    expect((await offsetsOf(group, topic))[1].offset).toBe(3);
  });

  it.each([[-1], [1.5], ['5'], [null], [undefined], [2 ** 60]])('refuses the offset %j with 400 INVALID_OFFSET and writes nothing', async (offset) => {
    const topic = await createTopic(http, 2);
    const group = uniqueGroup();
    const res = await http.post(`/v1/groups/${group}/offsets`, {
      offsets: [
        { topic, partition: 0, offset: 5 },
        { topic, partition: 1, offset },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_OFFSET');
    expect((await offsetsOf(group, topic)).map((r) => r.offset)).toEqual([null, null]);
  });

  it('refuses a partition that does not exist, or a topic that does not, with 404 and writes nothing', async () => {
    const topic = await createTopic(http, 2);
    const group = uniqueGroup();
    for (const bad of [{ topic, partition: 2, offset: 1 }, { topic: `missing-${group}`, partition: 0, offset: 1 }]) {
      const res = await http.post(`/v1/groups/${group}/offsets`, { offsets: [{ topic, partition: 0, offset: 1 }, bad] });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    }
    expect((await offsetsOf(group, topic))[0].offset).toBeNull();
  });

  it.each([
    [{ offsets: 'x' }, 'INVALID_REQUEST'],
    [{}, 'INVALID_REQUEST'],
    [{ memberId: 'm' }, 'INVALID_REQUEST'],
    [{ generation: 1, offsets: [] }, 'INVALID_REQUEST'],
    [{ memberId: 'm', offsets: [] }, 'INVALID_REQUEST'],
    [{ offsets: [{ topic: 'x', partition: -1, offset: 0 }] }, 'INVALID_REQUEST'],
    [{ offsets: [{ topic: 'x', partition: '0', offset: 0 }] }, 'INVALID_REQUEST'],
    [{ offsets: [{ topic: 'x', partition: 0, offset: 0, metadata: 5 }] }, 'INVALID_REQUEST'],
    [{ offsets: [{ topic: 'x', partition: 0, offset: 0, metadata: 'm'.repeat(5000) }] }, 'INVALID_REQUEST'],
    [{ offsets: [{ topic: 'x', partition: 0, offset: 0 }, { topic: 'x', partition: 0, offset: 1 }] }, 'INVALID_REQUEST'],
    [{ offsets: [{ topic: 'bad topic', partition: 0, offset: 0 }] }, 'INVALID_TOPIC'],
  ])('refuses %j with 400 %s', async (body, code) => {
    const res = await http.post(`/v1/groups/${uniqueGroup()}/offsets`, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
  });

  it('GET answers 404 for an unknown topic and 400 for a bad topic or group name', async () => {
    const group = uniqueGroup();
    const missing = await http.get(`/v1/groups/${group}/offsets?topic=missing-${group}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect((await http.get(`/v1/groups/${group}/offsets?topic=bad%20topic`)).body.error.code).toBe('INVALID_TOPIC');
    expect((await http.get(`/v1/groups/bad%20group/offsets?topic=t`)).body.error.code).toBe('INVALID_REQUEST');
  });

  it('GET without ?topic= lists every partition of every topic the group committed to', async () => {
    const t1 = await createTopic(http, 2, 'a');
    const t2 = await createTopic(http, 1, 'b');
    const group = uniqueGroup();
    await http.post(`/v1/groups/${group}/offsets`, { offsets: [{ topic: t2, partition: 0, offset: 0 }, { topic: t1, partition: 1, offset: 0 }] });
    const res = await http.get(`/v1/groups/${group}/offsets`);
    expect(res.status).toBe(200);
    expect(res.body.offsets.map((r: { topic: string; partition: number }) => `${r.topic}/${r.partition}`)).toEqual([`${t1}/0`, `${t1}/1`, `${t2}/0`]);
  });

  it('a commit to a deleted topic does not count for a new topic of the same name', async () => {
    const topic = await createTopic(http, 1);
    const group = uniqueGroup();
    expect((await http.post(`/v1/groups/${group}/offsets`, { offsets: [{ topic, partition: 0, offset: 4 }] })).status).toBe(200);
    expect((await http.del(`/v1/topics/${topic}`)).status).toBe(204);
    expect((await http.post('/v1/topics', { name: topic, partitions: 1 })).status).toBe(201);
    expect((await offsetsOf(group, topic))[0]).toMatchObject({ offset: null, lag: 0 });
  });
});

describe('GET /v1/groups', () => {
  it('lists groups with live members and groups with commits, not empty ones', async () => {
    const topic = await createTopic(http, 1);
    const withMembers = uniqueGroup('members');
    const withOffsets = uniqueGroup('offsets');
    const emptied = uniqueGroup('emptied');
    const trigger = `trigger.${uniqueGroup('t')}`;
    const a = await join(http, withMembers, { topics: [topic], sessionTimeoutMs: 30000 });
    await join(http, withMembers, { topics: [topic], sessionTimeoutMs: 30000 });
    expect((await http.post(`/v1/groups/${withOffsets}/offsets`, { offsets: [{ topic, partition: 0, offset: 0 }] })).status).toBe(200);
    expect((await http.post(`/v1/groups/${trigger}/offsets`, { offsets: [{ topic, partition: 0, offset: 0 }] })).status).toBe(200);
    const gone = await join(http, emptied, { topics: [topic], sessionTimeoutMs: 30000 });
    expect((await http.del(`/v1/groups/${emptied}/members/${gone.memberId}`)).status).toBe(204);

    const res = await http.get('/v1/groups');
    expect(res.status).toBe(200);
    const byName = new Map(res.body.groups.map((g: { group: string }) => [g.group, g]));
    expect(byName.get(withMembers)).toEqual({ group: withMembers, generation: a.generation + 1, members: 2 });
    expect(byName.get(withOffsets)).toEqual({ group: withOffsets, generation: 0, members: 0 });
    expect(byName.get(trigger)).toEqual({ group: trigger, generation: 0, members: 0 });
    expect(byName.has(emptied)).toBe(false);
    const names = res.body.groups.map((g: { group: string }) => g.group);
    expect(names).toEqual([...names].sort());
  });
});
