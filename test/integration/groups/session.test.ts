/**
 * Session timeouts (lazy expiry: a silent member is removed by the next call to its group) and
 * static membership. Waits are generous multiples of the timeouts: the machine is shared and slow.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api, type Api } from '../../helpers/http';
import { beat, createTopic, eventually, expectExactlyOneOwner, join, sleep, uniqueGroup } from './helpers';

let http: Api;
beforeAll(() => {
  http = api(inject('baseUrl'));
});

const SHORT = 1500;

describe('session timeout', () => {
  it('removes a silent member: the others rebalance onto its partitions and its heartbeats get 404', async () => {
    const topic = await createTopic(http, 4);
    const group = uniqueGroup();
    const stays = await join(http, group, { topics: [topic], sessionTimeoutMs: 60000 });
    const silent = await join(http, group, { topics: [topic], sessionTimeoutMs: SHORT });
    expect(silent.assignment).toHaveLength(2);

    await sleep(SHORT * 2);
    const hb = await beat(http, group, stays.memberId, silent.generation);
    expect(hb.status).toBe(200);
    expect(hb.body.rebalance).toBe(true);
    expect(hb.body.generation).toBe(silent.generation + 1);
    expectExactlyOneOwner([hb.body.assignment], { [topic]: 4 });

    const late = await beat(http, group, silent.memberId, silent.generation);
    expect(late.status).toBe(404);
    expect(late.body.error.code).toBe('UNKNOWN_MEMBER_ID');
    const listed = (await http.get('/v1/groups')).body.groups.find((g: { group: string }) => g.group === group);
    expect(listed).toEqual({ group, generation: silent.generation + 1, members: 1 });
  });

  it('an expired member is refused even before anyone removed it, and can join again as a new member', async () => {
    const topic = await createTopic(http, 2);
    const group = uniqueGroup();
    const m = await join(http, group, { topics: [topic], sessionTimeoutMs: SHORT });
    await sleep(SHORT * 2);
    // Its own heartbeat is the first call after the timeout: it removes itself and gets 404.
    const late = await beat(http, group, m.memberId, m.generation);
    expect(late.status).toBe(404);
    expect(late.body.error.code).toBe('UNKNOWN_MEMBER_ID');
    const commit = await http.post(`/v1/groups/${group}/offsets`, { memberId: m.memberId, generation: m.generation, offsets: [] });
    expect(commit.status).toBe(404);
    const again = await join(http, group, { topics: [topic], sessionTimeoutMs: 30000, memberId: m.memberId });
    expect(again.memberId).not.toBe(m.memberId);
    expect(again.generation).toBe(m.generation + 2); // one for the expiry, one for the join
    expect(again.assignment).toEqual(m.assignment);
  });

  it('a member that keeps heartbeating stays past its session timeout', async () => {
    const topic = await createTopic(http, 2);
    const group = uniqueGroup();
    const timeout = 5000;
    const m = await join(http, group, { topics: [topic], sessionTimeoutMs: timeout });
    const until = Date.now() + timeout * 1.6;
    while (Date.now() < until) {
      const hb = await beat(http, group, m.memberId, m.generation);
      expect(hb.status).toBe(200);
      expect(hb.body).toEqual({ generation: m.generation, assignment: m.assignment, rebalance: false });
      await sleep(400);
    }
  });

  it('an empty group whose members all expired is not listed (no commits)', async () => {
    const topic = await createTopic(http, 1);
    const group = uniqueGroup();
    await join(http, group, { topics: [topic], sessionTimeoutMs: SHORT });
    const listed = async () => (await http.get('/v1/groups')).body.groups.some((g: { group: string }) => g.group === group);
    expect(await listed()).toBe(true);
    await eventually(async () => ((await listed()) ? undefined : true), SHORT * 10);
  });
});

describe('static membership (instanceId)', () => {
  it('a restarted static member gets its partitions back without a rebalance; the old id is fenced', async () => {
    const topic = await createTopic(http, 6);
    const group = uniqueGroup();
    const other = await join(http, group, { topics: [topic], sessionTimeoutMs: 60000 });
    const first = await join(http, group, { topics: [topic], sessionTimeoutMs: 60000, instanceId: 'worker-1' });
    const hbOther = await beat(http, group, other.memberId, first.generation);
    expect(hbOther.body.rebalance).toBe(false);

    // The process restarts: it joins again with the same instance id and no member id.
    const restarted = await join(http, group, { topics: [topic], sessionTimeoutMs: 60000, instanceId: 'worker-1' });
    expect(restarted.memberId).not.toBe(first.memberId);
    expect(restarted.generation).toBe(first.generation);
    expect(restarted.assignment).toEqual(first.assignment);

    // Nobody else sees a rebalance.
    const after = await beat(http, group, other.memberId, first.generation);
    expect(after.body).toEqual({ generation: first.generation, assignment: hbOther.body.assignment, rebalance: false });
    expectExactlyOneOwner([after.body.assignment, restarted.assignment], { [topic]: 6 });

    // The old incarnation is fenced: heartbeats and commits with its id are refused.
    const zombie = await beat(http, group, first.memberId, first.generation);
    expect(zombie.status).toBe(404);
    expect(zombie.body.error.code).toBe('UNKNOWN_MEMBER_ID');
    const zombieCommit = await http.post(`/v1/groups/${group}/offsets`, {
      memberId: first.memberId,
      generation: first.generation,
      offsets: [{ topic, partition: first.assignment[0].partition, offset: 1 }],
    });
    expect(zombieCommit.status).toBe(404);
    expect(zombieCommit.body.error.code).toBe('UNKNOWN_MEMBER_ID');
    const listed = (await http.get('/v1/groups')).body.groups.find((g: { group: string }) => g.group === group);
    expect(listed.members).toBe(2);
  });

  it('a static member that changes its subscription on restart does cause a rebalance', async () => {
    const t1 = await createTopic(http, 2);
    const t2 = await createTopic(http, 2);
    const group = uniqueGroup();
    const first = await join(http, group, { topics: [t1], sessionTimeoutMs: 60000, instanceId: 'w' });
    const restarted = await join(http, group, { topics: [t1, t2], sessionTimeoutMs: 60000, instanceId: 'w' });
    expect(restarted.generation).toBe(first.generation + 1);
    expectExactlyOneOwner([restarted.assignment], { [t1]: 2, [t2]: 2 });
  });

  it('a static member back after its session timeout joins as a new member (rebalance)', async () => {
    const topic = await createTopic(http, 4);
    const group = uniqueGroup();
    const other = await join(http, group, { topics: [topic], sessionTimeoutMs: 60000 });
    const first = await join(http, group, { topics: [topic], sessionTimeoutMs: SHORT, instanceId: 'worker-2' });
    expect(first.generation).toBe(other.generation + 1);
    await sleep(SHORT * 2);
    const back = await join(http, group, { topics: [topic], sessionTimeoutMs: SHORT, instanceId: 'worker-2' });
    // One write removes the expired incarnation and adds the new member: one generation.
    expect(back.generation).toBe(first.generation + 1);
    expect(back.memberId).not.toBe(first.memberId);
    const hb = await beat(http, group, other.memberId, first.generation);
    expect(hb.body.rebalance).toBe(true);
    expectExactlyOneOwner([hb.body.assignment, back.assignment], { [topic]: 4 });
  });
});
