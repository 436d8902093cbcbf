import { rawRequest } from '../../helpers/raw-http';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api, type Api } from '../../helpers/http';
import { beat, createTopic, expectBalanced, expectExactlyOneOwner, join, uniqueGroup } from './helpers';

let http: Api;
beforeAll(() => {
  http = api(inject('baseUrl'));
});

describe('POST /v1/groups/{group}/members (join)', () => {
  it('gives the first member every partition, generation 1 and a member id', async () => {
    const topic = await createTopic(http, 3);
    const group = uniqueGroup();
    const res = await http.post(`/v1/groups/${group}/members`, { topics: [topic], sessionTimeoutMs: 10000 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      memberId: expect.any(String),
      generation: 1,
      assignment: [0, 1, 2].map((partition) => ({ topic, partition })),
    });
    expect(res.body.memberId.length).toBeGreaterThan(0);
  });

  it('splits partitions between members; each join advances the generation', async () => {
    const topic = await createTopic(http, 5);
    const group = uniqueGroup();
    const a = await join(http, group, { topics: [topic], sessionTimeoutMs: 30000 });
    const b = await join(http, group, { topics: [topic], sessionTimeoutMs: 30000 });
    expect(b.generation).toBe(a.generation + 1);
    expect(b.memberId).not.toBe(a.memberId);
    const hbA = await beat(http, group, a.memberId, a.generation);
    expect(hbA.status).toBe(200);
    expect(hbA.body.rebalance).toBe(true);
    expect(hbA.body.generation).toBe(b.generation);
    expectExactlyOneOwner([hbA.body.assignment, b.assignment], { [topic]: 5 });
    expectBalanced([hbA.body.assignment, b.assignment]);
    // A's partitions are a subset of what it had (sticky): it only gave some up.
    for (const tp of hbA.body.assignment) expect(a.assignment).toContainEqual(tp);
  });

  it('defaults the session timeout and subscribes to several topics at once', async () => {
    const t1 = await createTopic(http, 2);
    const t2 = await createTopic(http, 1);
    const group = uniqueGroup();
    const m = await join(http, group, { topics: [t2, t1, t1] });
    expectExactlyOneOwner([m.assignment], { [t1]: 2, [t2]: 1 });
  });

  it('gives a member only partitions of the topics it subscribed to', async () => {
    const x = await createTopic(http, 4, 'x');
    const y = await createTopic(http, 4, 'y');
    const group = uniqueGroup();
    const onlyX = await join(http, group, { topics: [x], sessionTimeoutMs: 30000 });
    const both = await join(http, group, { topics: [x, y], sessionTimeoutMs: 30000 });
    const hb = await beat(http, group, onlyX.memberId, onlyX.generation);
    expect(hb.body.assignment.every((tp: { topic: string }) => tp.topic === x)).toBe(true);
    expectExactlyOneOwner([hb.body.assignment, both.assignment], { [x]: 4, [y]: 4 });
  });

  it('accepts a topic that does not exist yet; its partitions are assigned once it is created', async () => {
    const group = uniqueGroup();
    const later = `later-${group}`;
    const m = await join(http, group, { topics: [later], sessionTimeoutMs: 30000 });
    expect(m.assignment).toEqual([]);
    const quiet = await beat(http, group, m.memberId, m.generation);
    expect(quiet.body).toEqual({ generation: m.generation, assignment: [], rebalance: false });
    expect((await http.post('/v1/topics', { name: later, partitions: 2 })).status).toBe(201);
    const hb = await beat(http, group, m.memberId, m.generation);
    expect(hb.status).toBe(200);
    expect(hb.body.rebalance).toBe(true);
    expect(hb.body.generation).toBe(m.generation + 1);
    expect(hb.body.assignment).toEqual([
      { topic: later, partition: 0 },
      { topic: later, partition: 1 },
    ]);
  });

  it('a rejoin with a live memberId keeps the id; only a changed subscription rebalances', async () => {
    const t1 = await createTopic(http, 2);
    const t2 = await createTopic(http, 2);
    const group = uniqueGroup();
    const m = await join(http, group, { topics: [t1], sessionTimeoutMs: 30000 });
    const same = await join(http, group, { topics: [t1], sessionTimeoutMs: 20000, memberId: m.memberId });
    expect(same).toEqual(m);
    const changed = await join(http, group, { topics: [t1, t2], sessionTimeoutMs: 20000, memberId: m.memberId });
    expect(changed.memberId).toBe(m.memberId);
    expect(changed.generation).toBe(m.generation + 1);
    expectExactlyOneOwner([changed.assignment], { [t1]: 2, [t2]: 2 });
  });

  it('a join naming an unknown memberId becomes a new member with a new id', async () => {
    const topic = await createTopic(http, 1);
    const group = uniqueGroup();
    const m = await join(http, group, { topics: [topic], memberId: 'no-such-member', sessionTimeoutMs: 30000 });
    expect(m.memberId).not.toBe('no-such-member');
    expect(m.generation).toBe(1);
  });

  it.each([
    [{}, 'INVALID_REQUEST'],
    [{ topics: 'orders' }, 'INVALID_REQUEST'],
    [{ topics: [] }, 'INVALID_REQUEST'],
    [{ topics: [42] }, 'INVALID_REQUEST'],
    [{ topics: ['bad topic'] }, 'INVALID_TOPIC'],
    [{ topics: ['ok'], sessionTimeoutMs: 10 }, 'INVALID_REQUEST'],
    [{ topics: ['ok'], sessionTimeoutMs: 1.5e9 }, 'INVALID_REQUEST'],
    [{ topics: ['ok'], sessionTimeoutMs: '10000' }, 'INVALID_REQUEST'],
    [{ topics: ['ok'], memberId: 7 }, 'INVALID_REQUEST'],
    [{ topics: ['ok'], instanceId: '' }, 'INVALID_REQUEST'],
  ])('refuses %j with 400 %s', async (body, code) => {
    const res = await http.post(`/v1/groups/${uniqueGroup()}/members`, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(typeof res.body.error.message).toBe('string');
  });

  it('refuses malformed JSON', async () => {
    const res = await http.raw('POST', `/v1/groups/${uniqueGroup()}/members`, '{"topics": [');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
  });

  it.each(['bad%20name', 'x'.repeat(250), 'caf%C3%A9', 'a%23b'])('refuses the group name %s with 400 INVALID_REQUEST', async (group) => {
    const res = await http.post(`/v1/groups/${group}/members`, { topics: ['orders'] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
    expect(res.body.error.message).toMatch(/\[a-zA-Z0-9._-\]/);
  });

  it.each(['%2E', '%2E%2E'])('refuses the group name %s (sent unnormalized) with 400 INVALID_REQUEST', async (group) => {
    // fetch() would resolve the dot segments away; a raw request sends them as they are.
    const body = JSON.stringify({ topics: ['orders'] });
    const res = await rawRequest(
      inject('baseUrl'),
      `POST /v1/groups/${group}/members HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(res.status).toBe(400);
    expect((res.json() as { error: { code: string } }).error.code).toBe('INVALID_REQUEST');
  });

  it('accepts trigger-style names and 249-character names', async () => {
    const topic = await createTopic(http, 1);
    expect((await http.post(`/v1/groups/trigger.${uniqueGroup()}/members`, { topics: [topic] })).status).toBe(200);
    expect((await http.post(`/v1/groups/${uniqueGroup('A_z.0-').padEnd(249, 'x')}/members`, { topics: [topic] })).status).toBe(200);
  });
});

describe('POST /v1/groups/{group}/members/{memberId}/heartbeat', () => {
  it('answers rebalance: false with the same assignment while nothing changes', async () => {
    const topic = await createTopic(http, 2);
    const group = uniqueGroup();
    const m = await join(http, group, { topics: [topic], sessionTimeoutMs: 30000 });
    for (let i = 0; i < 3; i++) {
      const hb = await beat(http, group, m.memberId, m.generation);
      expect(hb.status).toBe(200);
      expect(hb.body).toEqual({ generation: m.generation, assignment: m.assignment, rebalance: false });
    }
  });

  it('answers rebalance: true for a stale (or unknown) generation, with the current one', async () => {
    const topic = await createTopic(http, 2);
    const group = uniqueGroup();
    const m = await join(http, group, { topics: [topic], sessionTimeoutMs: 30000 });
    for (const sent of [0, m.generation + 5]) {
      const hb = await beat(http, group, m.memberId, sent);
      expect(hb.status).toBe(200);
      expect(hb.body).toEqual({ generation: m.generation, assignment: m.assignment, rebalance: true });
    }
  });

  it('answers 404 UNKNOWN_MEMBER_ID for an unknown member or group', async () => {
    const topic = await createTopic(http, 1);
    const group = uniqueGroup();
    await join(http, group, { topics: [topic], sessionTimeoutMs: 30000 });
    for (const [g, id] of [
      [group, 'nobody'],
      [uniqueGroup(), 'nobody'],
    ]) {
      const hb = await beat(http, g, id, 1);
      expect(hb.status).toBe(404);
      expect(hb.body.error.code).toBe('UNKNOWN_MEMBER_ID');
    }
  });

  it.each([[{}], [{ generation: 'one' }], [{ generation: -1 }], [{ generation: 1.5 }]])('refuses the body %j with 400 INVALID_REQUEST', async (body) => {
    const topic = await createTopic(http, 1);
    const group = uniqueGroup();
    const m = await join(http, group, { topics: [topic], sessionTimeoutMs: 30000 });
    const res = await http.post(`/v1/groups/${group}/members/${m.memberId}/heartbeat`, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
  });
});

describe('DELETE /v1/groups/{group}/members/{memberId} (leave)', () => {
  it('removes the member at once; the rest rebalance and take its partitions', async () => {
    const topic = await createTopic(http, 4);
    const group = uniqueGroup();
    const a = await join(http, group, { topics: [topic], sessionTimeoutMs: 30000 });
    const b = await join(http, group, { topics: [topic], sessionTimeoutMs: 30000 });
    const left = await http.del(`/v1/groups/${group}/members/${b.memberId}`);
    expect(left.status).toBe(204);
    expect(left.body).toBeUndefined();
    const hb = await beat(http, group, a.memberId, b.generation);
    expect(hb.body.rebalance).toBe(true);
    expect(hb.body.generation).toBe(b.generation + 1);
    expectExactlyOneOwner([hb.body.assignment], { [topic]: 4 });

    const gone = await beat(http, group, b.memberId, hb.body.generation);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('UNKNOWN_MEMBER_ID');
    const again = await http.del(`/v1/groups/${group}/members/${b.memberId}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('UNKNOWN_MEMBER_ID');
  });
});
