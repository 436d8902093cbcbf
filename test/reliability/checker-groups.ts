/**
 * Consumer-group anomalies (DESIGN.md invariant 7 and API.md "Consumer groups"):
 * - **stale commits accepted**: an offset commit carrying generation g was acknowledged although,
 *   before it was sent, some member had already been told a newer generation (generations only
 *   grow, so the group was past g when the commit arrived);
 * - **split ownership**: two members were told they own the same partition in the same generation;
 * - **group offsets lost**: the group's committed offset of a partition at the end is not the one
 *   of its last acknowledged commit (when that commit is known to be the last: every other commit
 *   not refused was acknowledged before it was sent).
 */
import type { AuditEvent, GroupCompletion, GroupInvoke, HistoryEvent } from './history';

export interface GroupAnomaly {
  readonly kind: 'stale-commit-accepted' | 'split-ownership' | 'group-offset-lost';
  readonly partition: number;
  readonly detail: string;
}

export interface GroupSummary {
  readonly joins: number;
  readonly generations: number;
  readonly commitsAcked: number;
  readonly commitsRefused: number;
  /** Commits sent with an older generation on purpose, and how many of them were refused. */
  readonly staleProbes: number;
  readonly staleProbesRefused: number;
  readonly anomalies: GroupAnomaly[];
}

/** Ordering across processes needs this margin (as for acknowledged order). */
const MARGIN_MS = 1;

export function checkGroups(history: readonly HistoryEvent[]): GroupSummary {
  const invokes = new Map<string, GroupInvoke>();
  const done = new Map<string, GroupCompletion>();
  const finals: Array<Extract<AuditEvent, { f: 'group-offsets' }>> = [];
  for (const e of history) {
    if (e.type === 'invoke' && (e.f === 'join' || e.f === 'heartbeat' || e.f === 'commit' || e.f === 'leave')) invokes.set(e.op, e);
    else if (e.type === 'audit' && e.f === 'group-offsets') finals.push(e);
    else if (e.type !== 'invoke' && e.type !== 'audit' && (e.f === 'join' || e.f === 'heartbeat' || e.f === 'commit' || e.f === 'leave')) done.set(e.op, e as GroupCompletion);
  }
  const anomalies: GroupAnomaly[] = [];
  const groups = new Set([...invokes.values()].map((i) => i.group));
  let joins = 0;
  let generations = 0;
  let commitsAcked = 0;
  let commitsRefused = 0;
  let staleProbes = 0;
  let staleProbesRefused = 0;

  for (const group of groups) {
    const ops = [...invokes.values()].filter((i) => i.group === group).map((inv) => ({ inv, done: done.get(inv.op) }));
    // What members were told: (when, member, generation, partitions).
    const told = ops
      .filter((o) => (o.inv.f === 'join' || o.inv.f === 'heartbeat') && o.done?.type === 'ok' && o.done.generation !== undefined)
      .map((o) => ({ time: o.done!.time, member: o.done!.memberId ?? o.inv.memberId ?? '?', generation: o.done!.generation!, partitions: o.done!.assignment ?? [] }));
    joins += ops.filter((o) => o.inv.f === 'join' && o.done?.type === 'ok').length;
    generations += new Set(told.map((t) => t.generation)).size;

    // Split ownership: per generation, partition → members told they own it.
    const owners = new Map<string, Set<string>>();
    for (const t of told) {
      for (const p of t.partitions) {
        const key = `${t.generation}#${p}`;
        const set = owners.get(key) ?? new Set<string>();
        set.add(t.member);
        owners.set(key, set);
      }
    }
    for (const [key, set] of owners) {
      if (set.size > 1) {
        const [generation, partition] = key.split('#').map(Number);
        anomalies.push({ kind: 'split-ownership', partition, detail: `group ${group} generation ${generation}: owned by ${[...set].join(', ')}` });
      }
    }

    // Stale commits accepted.
    const toldSorted = [...told].sort((a, b) => a.time - b.time);
    const commits = ops.filter((o) => o.inv.f === 'commit');
    for (const c of commits) {
      if (c.inv.stale) {
        staleProbes += 1;
        if (c.done?.type === 'fail') staleProbesRefused += 1;
      }
      if (c.done?.type === 'ok') commitsAcked += 1;
      if (c.done?.type === 'fail') commitsRefused += 1;
      if (c.done?.type !== 'ok' || c.inv.generation === undefined) continue;
      const newer = toldSorted.find((t) => t.time + MARGIN_MS < c.inv.time && t.generation > c.inv.generation!);
      if (newer) {
        anomalies.push({
          kind: 'stale-commit-accepted',
          partition: c.inv.partition ?? -1,
          detail: `group ${group}: commit of offset ${c.inv.offset} with generation ${c.inv.generation} by ${c.inv.process} accepted, after ${newer.member} had been told generation ${newer.generation}${c.inv.stale ? ' (a deliberate stale probe)' : ''}`,
        });
      }
    }

    // The final committed offsets against the last acknowledged commit of each partition.
    const final = finals.find((f) => f.group === group);
    if (!final) continue;
    for (const [partition, offset] of final.offsets) {
      const live = commits.filter((c) => c.inv.partition === partition && c.done?.type !== 'fail');
      const acked = live.filter((c) => c.done?.type === 'ok').sort((a, b) => a.done!.time - b.done!.time);
      const last = acked[acked.length - 1];
      if (!last) continue;
      const definitelyLast = live.every((c) => c === last || (c.done?.type === 'ok' && c.done.time + MARGIN_MS < last.inv.time));
      if (definitelyLast && offset !== last.inv.offset) {
        anomalies.push({ kind: 'group-offset-lost', partition, detail: `group ${group}: committed offset is ${offset}, the last acknowledged commit was ${last.inv.offset}` });
      }
    }
  }
  return { joins, generations, commitsAcked, commitsRefused, staleProbes, staleProbesRefused, anomalies };
}
