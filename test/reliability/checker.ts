/**
 * The history checker: a pure function from a run's history (test/reliability/history.ts) to the
 * anomalies it contains, in the manner of Jepsen's Kafka checker. Definitions are in
 * docs/reliability.md; in short:
 *
 * - a value's write is **acknowledged** when one attempt carrying it got `ok`; **definitely
 *   failed** when every attempt got `fail` (a 4xx); otherwise **indeterminate** (5xx, timeouts,
 *   resets, dropped responses: Jepsen's `:info`);
 * - an *observation* of a value at an offset is a record returned by a read or an offset returned
 *   by an acknowledgement;
 * - the **final read** (after the faults stopped) is the reference for what the log holds.
 */
import type { AuditEvent, BumpEvent, HistoryEvent, ReadCompletion, ReadInvoke, SendCompletion, SendInvoke } from './history';
import { checkGroups, type GroupSummary } from './checker-groups';
import { checkAckOrder } from './checker-order';
import { checkReads, type ReadAnomaly } from './checker-reads';
import { checkObjects, checkZombies } from './checker-storage';
import { Tally, type Example, type Figure, type ValueInfo } from './checker-types';

export type { Attempt, Example, Figure, ValueInfo } from './checker-types';

export interface CheckResult {
  readonly attempted: number;
  readonly acknowledged: number;
  readonly definitelyFailed: number;
  readonly indeterminate: number;
  readonly sendAttempts: number;
  readonly reads: number;
  readonly recordsRead: number;
  readonly finalRecords: number;
  /** Acknowledged offsets below the final log start offset: removed by retention, not lost. */
  readonly removedByRetention: number;
  readonly lost: Figure;
  readonly finalReadErrors: Figure;
  readonly duplicates: Figure;
  readonly duplicatesIdempotentAcked: Figure;
  readonly duplicatesIdempotentUnacked: Figure;
  readonly duplicatesAfterRetry: Figure;
  readonly duplicatesUnexplained: Figure;
  readonly idempotentOffsetMismatch: Figure;
  readonly inconsistentOffsets: Figure;
  readonly readsOfFailedWrites: Figure;
  readonly readsOfUnknownValues: Figure;
  readonly reorderings: Figure;
  readonly orderViolations: Figure;
  readonly zombieWrites: Figure;
  /** Unreferenced objects at the end; `undefined` without an audit. */
  readonly orphans?: Figure;
  readonly gcRan: boolean;
  readonly referencedDeleted?: Figure;
  /** Consumer groups: what happened, and the anomalies by kind. */
  readonly groups: Omit<GroupSummary, 'anomalies'>;
  readonly staleCommitsAccepted: Figure;
  readonly splitOwnership: Figure;
  readonly groupOffsetsLost: Figure;
}

/** Figures that must be 0 for a run to pass, with their row names. */
export const MUST_BE_ZERO = [
  ['lost', 'acknowledged but lost'],
  ['finalReadErrors', 'final read errors'],
  ['duplicatesIdempotentAcked', 'duplicates of acknowledged idempotent writes'],
  ['duplicatesIdempotentUnacked', 'duplicates of unacknowledged idempotent writes'],
  ['duplicatesUnexplained', 'duplicates of plain writes never retried'],
  ['idempotentOffsetMismatch', 'idempotent retries answered with other offsets'],
  ['inconsistentOffsets', 'inconsistent offsets'],
  ['readsOfFailedWrites', 'reads of failed writes'],
  ['readsOfUnknownValues', 'reads of values never sent'],
  ['reorderings', 'reorderings / gaps below the high watermark'],
  ['orderViolations', 'acknowledged-order violations'],
  ['zombieWrites', 'zombie writes accepted'],
  ['referencedDeleted', 'referenced objects deleted'],
  ['staleCommitsAccepted', 'group commits of a stale generation accepted'],
  ['splitOwnership', 'partitions owned twice in one generation'],
  ['groupOffsetsLost', 'group offsets lost'],
] as const satisfies ReadonlyArray<readonly [keyof CheckResult, string]>;

export function check(history: readonly HistoryEvent[]): CheckResult {
  const invokes = new Map<string, SendInvoke | ReadInvoke>();
  const completions = new Map<string, SendCompletion | ReadCompletion>();
  const bumps: BumpEvent[] = [];
  const audits: AuditEvent[] = [];
  for (const e of history) {
    if (e.type === 'invoke') {
      if (e.f === 'send' || e.f === 'read') invokes.set(e.op, e);
    } else if (e.type === 'audit') audits.push(e);
    else if (e.f === 'bump-epoch') bumps.push(e);
    else if (e.f === 'send' || e.f === 'read') completions.set(e.op, e as SendCompletion | ReadCompletion);
  }

  const values = collectValues(invokes, completions);
  const readPairs: Array<[ReadInvoke, ReadCompletion]> = [];
  for (const [op, inv] of invokes) {
    const done = completions.get(op);
    if (inv.f === 'read' && done?.f === 'read') readPairs.push([inv, done]);
  }

  // Observations: partition → offset → values seen there; value → offsets.
  const atOffset = new Map<number, Map<number, Set<string>>>();
  const offsetsOf = new Map<string, Set<number>>();
  const observe = (partition: number, offset: number, value: string): void => {
    let byOffset = atOffset.get(partition);
    if (!byOffset) atOffset.set(partition, (byOffset = new Map()));
    let set = byOffset.get(offset);
    if (!set) byOffset.set(offset, (set = new Set()));
    set.add(value);
    let offsets = offsetsOf.get(value);
    if (!offsets) offsetsOf.set(value, (offsets = new Set()));
    offsets.add(offset);
  };
  for (const info of values.values()) {
    for (const a of info.attempts) if (a.outcome === 'ok' && a.offset !== undefined) observe(info.partition, a.offset, info.value);
  }
  const readsOfUnknownValues = new Tally();
  let recordsRead = 0;
  for (const [inv, done] of readPairs) {
    if (done.type !== 'ok') continue;
    for (const [offset, value] of done.records ?? []) {
      recordsRead += 1;
      if (value === null || !values.has(value)) {
        readsOfUnknownValues.add({ value: value ?? 'null', partition: inv.partition, offset, detail: `read by ${done.process}` });
        continue;
      }
      observe(inv.partition, offset, value);
    }
  }

  // The final read: what the log holds once the faults stopped.
  const finalLog = new Map<number, Map<number, string>>();
  const finalStart = new Map<number, number>();
  const finalReadErrors = new Tally();
  let finalRecords = 0;
  for (const [inv, done] of readPairs) {
    if (!done.final) continue;
    if (done.type !== 'ok') {
      finalReadErrors.add({ partition: inv.partition, offset: inv.offset, detail: `${done.status ?? ''} ${done.code ?? ''} ${done.error ?? ''}`.trim() });
      continue;
    }
    let log = finalLog.get(inv.partition);
    if (!log) finalLog.set(inv.partition, (log = new Map()));
    for (const [offset, value] of done.records ?? []) {
      if (value !== null) log.set(offset, value);
      finalRecords += 1;
    }
    if (done.logStartOffset !== undefined) finalStart.set(inv.partition, done.logStartOffset);
  }

  const lost = new Tally();
  let removedByRetention = 0;
  for (const info of values.values()) {
    const log = finalLog.get(info.partition);
    let missing: number | undefined;
    for (const a of info.attempts) {
      if (a.outcome !== 'ok' || a.offset === undefined) continue;
      if (a.offset < (finalStart.get(info.partition) ?? 0)) {
        removedByRetention += 1;
        continue;
      }
      if (log?.get(a.offset) !== info.value) missing = a.offset;
    }
    if (missing !== undefined) {
      const found = log?.get(missing);
      lost.add({ value: info.value, partition: info.partition, offset: missing, detail: found === undefined ? 'nothing there in the final read' : `final read has ${found} there` });
    }
  }

  const duplicates = new Tally();
  const dupIdemAcked = new Tally();
  const dupIdemUnacked = new Tally();
  const dupRetried = new Tally();
  const dupUnexplained = new Tally();
  const mismatch = new Tally();
  for (const info of values.values()) {
    const offsets = offsetsOf.get(info.value);
    const acked = info.attempts.some((a) => a.outcome === 'ok');
    if (info.producer && acked) {
      const ackOffsets = new Set(info.attempts.filter((a) => a.outcome === 'ok').map((a) => a.offset));
      if (ackOffsets.size > 1) mismatch.add({ value: info.value, partition: info.partition, detail: `acknowledged at offsets ${[...ackOffsets].join(', ')}` });
    }
    if (!offsets || offsets.size < 2) continue;
    const ex = { value: info.value, partition: info.partition, offset: Math.max(...offsets), detail: `at offsets ${[...offsets].sort((a, b) => a - b).join(', ')}` };
    duplicates.add(ex);
    if (info.producer) (acked ? dupIdemAcked : dupIdemUnacked).add(ex);
    else if (info.attempts.length > 1 || info.attempts.some((a) => a.outcome === 'info' || a.outcome === 'pending')) dupRetried.add(ex);
    else dupUnexplained.add(ex);
  }

  const inconsistent = new Tally();
  for (const [partition, byOffset] of atOffset) {
    for (const [offset, set] of byOffset) {
      if (set.size > 1) inconsistent.add({ partition, offset, detail: `values ${[...set].join(', ')}` });
    }
  }

  const readsOfFailed = new Tally();
  for (const info of values.values()) {
    if (!info.attempts.every((a) => a.outcome === 'fail')) continue;
    const offsets = offsetsOf.get(info.value);
    if (offsets && offsets.size > 0) {
      readsOfFailed.add({ value: info.value, partition: info.partition, offset: Math.min(...offsets), detail: `failed with ${info.attempts.map((a) => a.code).join(', ')}` });
    }
  }

  const reorderings = new Tally();
  for (const a of checkReads(readPairs)) reorderings.add(readExample(a));

  const orderViolations = checkAckOrder(values, offsetsOf);
  const zombieWrites = checkZombies(values, atOffset, finalLog, bumps, audits);
  const { orphans, referencedDeleted, gcRan } = checkObjects(audits);
  const { anomalies: groupAnomalies, ...groups } = checkGroups(history);
  const groupFigure = (kind: string): Figure => {
    const t = new Tally();
    for (const a of groupAnomalies) if (a.kind === kind) t.add({ partition: a.partition, detail: a.detail });
    return t.figure();
  };

  let sendAttempts = 0;
  for (const inv of invokes.values()) if (inv.f === 'send') sendAttempts += 1;
  const all = [...values.values()];
  const isAcked = (v: ValueInfo): boolean => v.attempts.some((a) => a.outcome === 'ok');
  const isFailed = (v: ValueInfo): boolean => v.attempts.every((a) => a.outcome === 'fail');
  return {
    attempted: all.length,
    acknowledged: all.filter(isAcked).length,
    definitelyFailed: all.filter(isFailed).length,
    indeterminate: all.filter((v) => !isAcked(v) && !isFailed(v)).length,
    sendAttempts,
    reads: readPairs.length,
    recordsRead,
    finalRecords,
    removedByRetention,
    lost: lost.figure(),
    finalReadErrors: finalReadErrors.figure(),
    duplicates: duplicates.figure(),
    duplicatesIdempotentAcked: dupIdemAcked.figure(),
    duplicatesIdempotentUnacked: dupIdemUnacked.figure(),
    duplicatesAfterRetry: dupRetried.figure(),
    duplicatesUnexplained: dupUnexplained.figure(),
    idempotentOffsetMismatch: mismatch.figure(),
    inconsistentOffsets: inconsistent.figure(),
    readsOfFailedWrites: readsOfFailed.figure(),
    readsOfUnknownValues: readsOfUnknownValues.figure(),
    reorderings: reorderings.figure(),
    orderViolations,
    zombieWrites,
    orphans,
    gcRan,
    referencedDeleted,
    groups,
    staleCommitsAccepted: groupFigure('stale-commit-accepted'),
    splitOwnership: groupFigure('split-ownership'),
    groupOffsetsLost: groupFigure('group-offset-lost'),
  };
}

/** The figures of MUST_BE_ZERO that are not 0. */
export function violations(result: CheckResult): string[] {
  return MUST_BE_ZERO.filter(([key]) => ((result[key] as Figure | undefined)?.count ?? 0) > 0).map(([, name]) => name);
}

function collectValues(invokes: Map<string, SendInvoke | ReadInvoke>, completions: Map<string, SendCompletion | ReadCompletion>): Map<string, ValueInfo> {
  const values = new Map<string, ValueInfo>();
  for (const [op, inv] of invokes) {
    if (inv.f !== 'send') continue;
    const done = completions.get(op);
    inv.values.forEach((value, i) => {
      let info = values.get(value);
      if (!info) {
        info = { value, partition: inv.partition, producer: inv.producer && { id: inv.producer.id, epoch: inv.producer.epoch }, attempts: [] };
        values.set(value, info);
      }
      const outcome = done?.f === 'send' ? done.type : 'pending';
      const offset = outcome === 'ok' && done?.f === 'send' ? done.offsets?.[i] : undefined;
      info.attempts.push({ op, invokeTime: inv.time, outcome, offset, okTime: outcome === 'ok' ? done?.time : undefined, code: done?.code ?? (done?.status ? String(done.status) : undefined) });
    });
  }
  return values;
}

function readExample(a: ReadAnomaly): Example {
  return { partition: a.partition, offset: a.offset, detail: `${a.kind} (read ${a.op} by ${a.process}): ${a.detail}` };
}
