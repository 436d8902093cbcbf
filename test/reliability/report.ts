/** The checker's table: one row per figure, one column per scenario (and a total). */
import { MUST_BE_ZERO, type CheckResult, type Figure } from './checker';
import type { ScenarioOutcome } from './scenario';

type Row = readonly [label: string, get: (r: CheckResult) => number | undefined, mustBeZero: boolean];

const count = (f: Figure | undefined): number | undefined => f?.count;

const ROWS: readonly Row[] = [
  ['values attempted', (r) => r.attempted, false],
  ['  send attempts (requests)', (r) => r.sendAttempts, false],
  ['  acknowledged', (r) => r.acknowledged, false],
  ['  definitely failed (4xx)', (r) => r.definitelyFailed, false],
  ['  indeterminate (5xx/timeout/lost)', (r) => r.indeterminate, false],
  ['reads (fetch calls)', (r) => r.reads, false],
  ['  records read', (r) => r.recordsRead, false],
  ['  records in the final read', (r) => r.finalRecords, false],
  ['acked, removed by retention', (r) => r.removedByRetention, false],
  ['group joins', (r) => r.groups.joins, false],
  ['  generations seen', (r) => r.groups.generations, false],
  ['  offset commits acknowledged', (r) => r.groups.commitsAcked, false],
  ['  offset commits refused', (r) => r.groups.commitsRefused, false],
  ['  stale-generation probes sent', (r) => r.groups.staleProbes, false],
  ['  stale-generation probes refused', (r) => r.groups.staleProbesRefused, false],
  ['duplicates (all)', (r) => r.duplicates.count, false],
  ['  of plain writes retried after an indeterminate attempt', (r) => r.duplicatesAfterRetry.count, false],
  ...MUST_BE_ZERO.map(([key, label]): Row => [label, (r) => count(r[key] as Figure | undefined), true]),
  ['orphan objects left after the zero-grace GC', (r) => (r.gcRan ? count(r.orphans) : undefined), false],
];

export function renderTable(outcomes: readonly ScenarioOutcome[]): string {
  const names = outcomes.map((o) => o.name);
  const header = ['figure', ...names, ...(outcomes.length > 1 ? ['total'] : []), 'must be 0'];
  const lines: string[][] = [header];
  for (const [label, get, zero] of ROWS) {
    const cells = outcomes.map((o) => get(o.result));
    const defined = cells.filter((c): c is number => c !== undefined);
    const total = defined.length > 0 ? defined.reduce((a, b) => a + b, 0) : undefined;
    const bad = zero && (total ?? 0) > 0;
    lines.push([label, ...cells.map(show), ...(outcomes.length > 1 ? [show(total)] : []), zero ? (bad ? 'FAIL' : 'yes') : '']);
  }
  lines.push(['faults injected', ...outcomes.map((o) => String(sum(o.faults))), ...(outcomes.length > 1 ? [String(outcomes.reduce((n, o) => n + sum(o.faults), 0))] : []), '']);
  lines.push(['seconds', ...outcomes.map((o) => String(Math.round(o.ms / 1000))), ...(outcomes.length > 1 ? [String(Math.round(outcomes.reduce((n, o) => n + o.ms, 0) / 1000))] : []), '']);
  const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  const fmt = (l: string[]): string => `| ${l.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [fmt(lines[0]), `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...lines.slice(1).map(fmt)].join('\n');
}

/** Per scenario: what it did and the faults behind its figures. */
export function renderFaults(outcomes: readonly ScenarioOutcome[]): string {
  return outcomes
    .map((o) => {
      const sorted = [...o.faults].sort((a, b) => b[1] - a[1]);
      const faults = sorted.filter(([k]) => !k.startsWith('maintenance ')).map(([k, n]) => `${k} ×${n}`);
      const work = sorted.filter(([k]) => k.startsWith('maintenance ')).map(([k, n]) => `${k.slice('maintenance '.length)} ×${n}`);
      return `- **${o.name}** — ${o.title}. Faults: ${faults.length > 0 ? faults.join(', ') : 'none'}.${work.length > 0 ? ` Maintenance events: ${work.join(', ')}.` : ''}`;
    })
    .join('\n');
}

/** The first examples of every non-zero must-be-0 figure. */
export function renderViolations(outcomes: readonly ScenarioOutcome[]): string {
  const out: string[] = [];
  for (const o of outcomes) {
    for (const [key, label] of MUST_BE_ZERO) {
      const f = o.result[key] as Figure | undefined;
      if (!f || f.count === 0) continue;
      out.push(`${o.name}: ${label}: ${f.count}`);
      for (const e of f.examples) out.push(`    partition ${e.partition}${e.offset !== undefined ? ` offset ${e.offset}` : ''}${e.value ? ` value ${e.value}` : ''}: ${e.detail}`);
    }
  }
  return out.join('\n');
}

function show(n: number | undefined): string {
  return n === undefined ? '–' : String(n);
}

/** Faults only: maintenance events are work, not faults. */
function sum(m: ReadonlyMap<string, number>): number {
  let n = 0;
  for (const [k, v] of m) if (!k.startsWith('maintenance ')) n += v;
  return n;
}
