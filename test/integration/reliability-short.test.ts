/**
 * The short version of the reliability matrix (`npm run test:reliability` runs the whole of it,
 * docs/reliability.md): a few scenarios with real processes — kill -9 at a crash point, a paused
 * and fenced writer plus an idempotent producer taken over by a newer epoch, a retry storm over
 * lost DynamoDB responses, injected DynamoDB errors and lost commit answers — for a few seconds
 * each; the history checker must find nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderTable, renderViolations } from '../reliability/report';
import { runScenario, type ScenarioOutcome } from '../reliability/scenario';
import { scenario, SHORT_SCENARIOS } from '../reliability/scenarios';

const SECONDS = Number(process.env.RELIABILITY_SHORT_SECONDS ?? 6);
let root: string | undefined;
const outcomes: ScenarioOutcome[] = [];

afterAll(async () => {
  if (outcomes.length > 0) process.stderr.write(`${renderTable(outcomes)}\n`);
  // Kept for a post-mortem when something was found.
  if (root && outcomes.every((o) => o.violations.length === 0)) await rm(root, { recursive: true, force: true });
});

describe.skipIf(Boolean(process.env.AWS_ENDPOINT_URL))('reliability (short)', () => {
  it.each(SHORT_SCENARIOS)(
    '%s: nothing acknowledged is lost, duplicated, reordered or written by a zombie',
    async (name) => {
      root ??= await mkdtemp(join(tmpdir(), 'streambed-reliability-short-'));
      const outcome = await runScenario(scenario(name), { dir: join(root, name), durationMs: SECONDS * 1000 });
      outcomes.push(outcome);
      expect(outcome.violations, `${renderViolations([outcome])}\nhistories: ${outcome.dir}`).toEqual([]);
      // The scenario did something: writes were acknowledged, read back, and faults happened.
      expect(outcome.result.acknowledged).toBeGreaterThan(0);
      expect(outcome.result.finalRecords).toBeGreaterThan(0);
      expect([...outcome.faults.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    },
    180_000,
  );
});
