/**
 * Group operations run concurrently against the local stack (one process over dynalite): every
 * change is a conditional write on the group item, so racing calls serialize into some order.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api, type Api } from '../../helpers/http';
import { beat, createTopic, expectBalanced, expectExactlyOneOwner, join, uniqueGroup, type Joined } from './helpers';

let http: Api;
beforeAll(() => {
  http = api(inject('baseUrl'));
});

describe('concurrent group calls', () => {
  it('10 joins racing: 10 members, one generation per join, one valid balanced assignment', async () => {
    const topic = await createTopic(http, 12);
    const group = uniqueGroup('race');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => http.post(`/v1/groups/${group}/members`, { topics: [topic], sessionTimeoutMs: 60000 })),
    );
    for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(200);
    const joined = results.map((r) => r.body as Joined);
    expect(new Set(joined.map((j) => j.memberId)).size).toBe(10);
    // Each join was one membership change: generations 1..10, each handed out once.
    expect(joined.map((j) => j.generation).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));

    const beats = await Promise.all(joined.map((j) => beat(http, group, j.memberId, j.generation)));
    for (const b of beats) {
      expect(b.status).toBe(200);
      expect(b.body.generation).toBe(10);
    }
    expect(beats.filter((b) => !b.body.rebalance)).toHaveLength(1); // only the last joiner was current
    const assignments = beats.map((b) => b.body.assignment);
    expectExactlyOneOwner(assignments, { [topic]: 12 });
    expectBalanced(assignments);
    const listed = (await http.get('/v1/groups')).body.groups.find((g: { group: string }) => g.group === group);
    expect(listed).toEqual({ group, generation: 10, members: 10 });
  });

  it('heartbeats racing joins: every answer is consistent, and the group ends in one generation', async () => {
    const topic = await createTopic(http, 8);
    const group = uniqueGroup('hb-race');
    const first = await join(http, group, { topics: [topic], sessionTimeoutMs: 60000 });
    const members: Joined[] = [first];
    let generation = first.generation;
    for (let round = 0; round < 6; round++) {
      const [joined, ...beats] = await Promise.all([
        http.post(`/v1/groups/${group}/members`, { topics: [topic], sessionTimeoutMs: 60000 }),
        ...members.map((m) => beat(http, group, m.memberId, generation)),
      ]);
      expect(joined.status).toBe(200);
      const j = joined.body as Joined;
      expect(j.generation).toBe(generation + 1);
      for (const b of beats) {
        expect(b.status, JSON.stringify(b.body)).toBe(200);
        // Ordered before the join (old generation, no rebalance) or after it (new one, rebalance).
        if (b.body.generation === generation) expect(b.body.rebalance).toBe(false);
        else {
          expect(b.body.generation).toBe(j.generation);
          expect(b.body.rebalance).toBe(true);
        }
      }
      members.push(j);
      generation = j.generation;
      const settled = await Promise.all(members.map((m) => beat(http, group, m.memberId, generation)));
      for (const s of settled) expect(s.body).toMatchObject({ generation, rebalance: false });
      expectExactlyOneOwner(
        settled.map((s) => s.body.assignment),
        { [topic]: 8 },
      );
      expectBalanced(settled.map((s) => s.body.assignment));
    }
  });

  it('commits racing rebalances: a commit under an older generation never replaces one under a newer one', async () => {
    const topic = await createTopic(http, 2);
    const group = uniqueGroup('commit-race');
    const a = await join(http, group, { topics: [topic], sessionTimeoutMs: 60000 });
    let aGeneration = a.generation;
    for (let round = 0; round < 8; round++) {
      // A commits with the generation it knows while a new member joins; once the join has
      // landed, the joiner commits the same partition under the new generation.
      const joining = http.post(`/v1/groups/${group}/members`, { topics: [topic], sessionTimeoutMs: 60000 });
      const stale = http.post(`/v1/groups/${group}/offsets`, {
        memberId: a.memberId,
        generation: aGeneration,
        offsets: [{ topic, partition: 0, offset: round * 10 }],
      });
      const joined = await joining;
      expect(joined.status).toBe(200);
      const j = joined.body as Joined;
      const fresh = await http.post(`/v1/groups/${group}/offsets`, {
        memberId: j.memberId,
        generation: j.generation,
        offsets: [{ topic, partition: 0, offset: round * 10 + 5 }],
      });
      expect(fresh.status, JSON.stringify(fresh.body)).toBe(200);
      const s = await stale;
      expect([200, 409]).toContain(s.status);
      if (s.status === 409) expect(s.body.error.code).toBe('ILLEGAL_GENERATION');
      // Whatever the order, the newer generation's commit is what is stored.
      const stored = (await http.get(`/v1/groups/${group}/offsets?topic=${topic}`)).body.offsets[0];
      expect(stored.offset).toBe(round * 10 + 5);
      const hb = await beat(http, group, a.memberId, aGeneration);
      aGeneration = hb.body.generation;
    }
  });

  it('10 commits racing on one partition under one generation all succeed; one of them is stored', async () => {
    const topic = await createTopic(http, 1);
    const group = uniqueGroup('commits');
    const m = await join(http, group, { topics: [topic], sessionTimeoutMs: 60000 });
    const res = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        http.post(`/v1/groups/${group}/offsets`, { memberId: m.memberId, generation: m.generation, offsets: [{ topic, partition: 0, offset: i }] }),
      ),
    );
    for (const r of res) expect(r.status).toBe(200);
    const stored = (await http.get(`/v1/groups/${group}/offsets?topic=${topic}`)).body.offsets[0].offset;
    expect(Array.from({ length: 10 }, (_, i) => i)).toContain(stored);
  });
});
