/**
 * `npm run test:reliability`: runs the scenario matrix (test/reliability/scenarios.ts) for a
 * bounded time, prints the checker's table, and exits non-zero if any must-be-0 figure is not 0.
 *
 *   npm run test:reliability                      # every scenario, ~5 minutes in all
 *   npm run test:reliability -- --seconds 60      # seconds of load per scenario (default 12)
 *   npm run test:reliability -- --only zombie,kill9
 *   RELIABILITY_SECONDS=30 npm run test:reliability
 *
 * Histories, stack logs and the table stay in the printed directory for a post-mortem.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderFaults, renderTable, renderViolations } from './report';
import { runScenario, type ScenarioOutcome } from './scenario';
import { SCENARIOS, scenario } from './scenarios';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    only: { type: 'string' },
    dir: { type: 'string' },
  },
});
const seconds = Number(values.seconds ?? process.env.RELIABILITY_SECONDS ?? 12);
if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`--seconds must be a positive number, got ${values.seconds}`);
const chosen = values.only ? values.only.split(',').map((n) => scenario(n.trim())) : SCENARIOS;
const root = values.dir ?? mkdtempSync(join(tmpdir(), 'streambed-reliability-'));

// The run must end by itself: a generous bound over load time plus per-scenario set-up, final
// read and clean-up (a lease left by a killed maintenance run can add up to 90 s).
const budgetMs = chosen.length * (seconds * 1000 + 150_000);
const watchdog = setTimeout(() => {
  process.stderr.write(`reliability run exceeded ${Math.round(budgetMs / 1000)} s; giving up\n`);
  process.exit(3);
}, budgetMs);
watchdog.unref();

const outcomes: ScenarioOutcome[] = [];
const harnessErrors: string[] = [];
const say = (line: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};
say(`${chosen.length} scenarios × ${seconds} s of load; histories under ${root}`);
for (const spec of chosen) {
  let outcome: ScenarioOutcome;
  try {
    outcome = await runScenario(spec, { dir: join(root, spec.name), durationMs: seconds * 1000, progress: say });
  } catch (err) {
    // The harness itself failed (a stack would not start…): the scenario counts as failed.
    say(`${spec.name}: HARNESS ERROR ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    harnessErrors.push(spec.name);
    continue;
  }
  outcomes.push(outcome);
  say(`${spec.name}: ${outcome.result.attempted} values, ${outcome.result.acknowledged} acked, ${outcome.result.reads} reads; ${outcome.violations.length === 0 ? 'no anomalies' : `ANOMALIES: ${outcome.violations.join(', ')}`}`);
}

const table = renderTable(outcomes);
const report = [table, '', renderFaults(outcomes), '', renderViolations(outcomes)].join('\n');
writeFileSync(join(root, 'report.md'), `${report}\n`);
process.stdout.write(`${report}\n\nhistories and stack logs: ${root}\n`);
const failed = outcomes.filter((o) => o.violations.length > 0);
if (harnessErrors.length > 0) process.stdout.write(`scenarios that could not run: ${harnessErrors.join(', ')}\n`);
process.exit(failed.length > 0 || harnessErrors.length > 0 ? 1 : 0);
