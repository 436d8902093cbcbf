/**
 * A consumer-group member: joins, heartbeats, reads its partitions from the group's committed
 * offsets and commits after each page, with its generation as the fencing token. Every group call
 * is an operation in the history (test/reliability/checker-groups.ts checks them); the fetches
 * are ordinary reads. With `staleCommitRate`, some commits are sent on purpose with a generation
 * older than the one the member knows: every one of them must be refused (DESIGN.md invariant 7).
 */
import { now, type GroupCompletion, type GroupInvoke } from '../history';
import { call, backoff, sleep, type Outcome } from './http';
import { earliestOffset, loggedFetch } from './consumer';
import type { WorkerContext } from './context';

export interface GroupSpec {
  readonly kind: 'group';
  readonly name: string;
  readonly group: string;
  /** Session timeout asked at join (default 4000 ms); heartbeats every third of it. */
  readonly sessionTimeoutMs?: number;
  /** Probability that a commit is sent with an older generation on purpose (default 0.1). */
  readonly staleCommitRate?: number;
}

interface Membership {
  memberId: string;
  generation: number;
  partitions: number[];
}

export async function runGroupMember(ctx: WorkerContext, spec: GroupSpec): Promise<void> {
  const sessionTimeoutMs = spec.sessionTimeoutMs ?? 4_000;
  const heartbeatEvery = sessionTimeoutMs / 3;
  let member: Membership | undefined;
  let next = 0;
  const positions = new Map<number, number>();
  const base = `/v1/groups/${spec.group}`;

  const logged = async (f: GroupInvoke['f'], fields: Omit<GroupInvoke, 'type' | 'f' | 'op' | 'process' | 'time' | 'group'>, url: string, method: 'GET' | 'POST' | 'DELETE', body: unknown): Promise<Outcome> => {
    const op = ctx.nextOp();
    ctx.history.write({ type: 'invoke', f, op, process: ctx.process, time: now(), group: spec.group, ...fields });
    const out = await call(url, method, body, ctx.requestTimeoutMs);
    const done: GroupCompletion =
      out.type === 'ok'
        ? { type: 'ok', f, op, process: ctx.process, time: now(), status: out.status, ...membershipOf(out.body, fields.memberId) }
        : { type: out.type, f, op, process: ctx.process, time: now(), status: out.status, code: out.code, error: out.error };
    ctx.history.write(done);
    return out;
  };

  const adopt = (m: Membership, told: ReturnType<typeof membershipOf>): void => {
    if (told.generation === undefined || told.generation <= m.generation) return;
    m.generation = told.generation;
    m.partitions = [...(told.assignment ?? [])];
    positions.clear();
  };

  // Heartbeats run beside the work, as a Kafka consumer's heartbeat thread does.
  const heartbeats = (async () => {
    while (!ctx.stopping()) {
      await sleep(heartbeatEvery);
      const m = member;
      const url = m && (await ctx.target());
      if (!m || !url || member !== m) continue;
      const out = await logged('heartbeat', { memberId: m.memberId, generation: m.generation }, `${url}${base}/members/${m.memberId}/heartbeat`, 'POST', { generation: m.generation });
      if (member !== m) continue;
      if (out.type === 'ok') adopt(m, membershipOf(out.body));
      else if (out.status === 404) member = undefined;
    }
  })();

  for (let failures = 0; !ctx.stopping(); ) {
    const url = await ctx.target();
    if (!url) break;
    if (!member) {
      const out = await logged('join', {}, `${url}${base}/members`, 'POST', { topics: [ctx.topic], sessionTimeoutMs });
      if (out.type !== 'ok') {
        await sleep(backoff(++failures));
        continue;
      }
      const m = membershipOf(out.body);
      member = { memberId: m.memberId!, generation: m.generation!, partitions: [...(m.assignment ?? [])] };
      positions.clear();
      failures = 0;
      continue;
    }
    const m = member;
    if (m.partitions.length === 0) {
      await sleep(heartbeatEvery / 2);
      continue;
    }
    const partition = m.partitions[next++ % m.partitions.length];
    let position = positions.get(partition);
    if (position === undefined) {
      position = await committedOffset(url, `${base}/offsets?topic=${ctx.topic}`, partition, ctx.requestTimeoutMs);
      if (position === undefined) continue;
      positions.set(partition, position);
    }
    const read = await loggedFetch(ctx, url, partition, position, 50);
    if (read.type !== 'ok') {
      if (read.status === 416) positions.set(partition, (await earliestOffset(url, ctx.topic, partition, ctx.requestTimeoutMs)) ?? position);
      await sleep(backoff(++failures));
      continue;
    }
    failures = 0;
    if ((read.records ?? []).length === 0 || read.nextOffset === undefined) {
      await sleep(20);
      continue;
    }
    const offset = read.nextOffset;
    const stale = m.generation > 1 && Math.random() < (spec.staleCommitRate ?? 0.1);
    const generation = stale ? m.generation - 1 : m.generation;
    const out = await logged(
      'commit',
      { memberId: m.memberId, generation, partition, offset, stale: stale || undefined },
      `${url}${base}/offsets`,
      'POST',
      { memberId: m.memberId, generation, offsets: [{ topic: ctx.topic, partition, offset }] },
    );
    if (out.type === 'ok' || !stale) positions.set(partition, offset);
    if (out.status === 404 && member === m) member = undefined;
  }
  await heartbeats;
  if (member) {
    const url = await ctx.target();
    if (url) await logged('leave', { memberId: member.memberId }, `${url}${base}/members/${member.memberId}`, 'DELETE', undefined).catch(() => undefined);
  }
}

function membershipOf(body: unknown, memberId?: string): Pick<GroupCompletion, 'memberId' | 'generation' | 'assignment' | 'rebalance'> {
  const b = (body ?? {}) as { memberId?: string; generation?: number; assignment?: Array<{ partition: number }>; rebalance?: boolean };
  return {
    memberId: b.memberId ?? memberId,
    generation: b.generation,
    assignment: b.assignment?.map((a) => a.partition).sort((x, y) => x - y),
    rebalance: b.rebalance,
  };
}

async function committedOffset(url: string, path: string, partition: number, timeoutMs: number): Promise<number | undefined> {
  const out = await call(`${url}${path}`, 'GET', undefined, timeoutMs);
  if (out.type !== 'ok') return undefined;
  const row = (out.body as { offsets: Array<{ partition: number; offset: number | null }> }).offsets.find((o) => o.partition === partition);
  return row?.offset ?? 0;
}
