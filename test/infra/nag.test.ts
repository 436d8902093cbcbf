/**
 * cdk-nag's AwsSolutions pack over the whole Streambed app: no finding without a reviewed,
 * written reason (infra/nag-acknowledgments.ts). cdk-nag 3 reports through CDK's policy
 * validation (a failed check fails synthesis and is written to validation-report.json), not
 * through annotations, so that report is what is read here.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { FUNCTION_FINDINGS, ROLE_FINDINGS } from '../../infra/nag-acknowledgments';
import type { StreambedStack } from '../../infra/streambed-stack';
import { streambedApp } from './synth';

interface Violation {
  ruleName: string;
  severity: string;
  violatingConstructs: Array<{ constructPath: string }>;
}

/** Synthesizes `app` with the AwsSolutions pack; returns the violations and whether synthesis failed. */
function check(app: App, outdir: string): { violations: Violation[]; failed: string | undefined } {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  let failed: string | undefined;
  try {
    app.synth();
  } catch (err) {
    failed = String(err);
  }
  const report = path.join(outdir, 'validation-report.json');
  const parsed = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as { pluginReports: Array<{ violations?: Violation[] }> }) : { pluginReports: [] };
  return { violations: parsed.pluginReports.flatMap((p) => p.violations ?? []), failed };
}

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'streambed-nag-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the Streambed app under cdk-nag AwsSolutions', () => {
  let stack: StreambedStack;
  let result: { violations: Violation[]; failed: string | undefined };

  beforeAll(() => {
    const outdir = tempDir();
    const built = streambedApp({ outdir });
    stack = built.stack;
    result = check(built.app, outdir);
  }, 120_000);

  it('has no unacknowledged finding, error or warning', () => {
    const summary = result.violations.map((v) => `${v.severity} ${v.ruleName} @ ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`);
    expect(summary).toEqual([]);
    expect(result.failed).toBeUndefined();
  });

  it('acknowledges findings only with a written reason, the reviewed ones on every function', () => {
    const acknowledged = stack.node
      .findAll()
      .flatMap((c: IConstruct) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      // Each entry is `{ "<namespace>::<rule id>": reason }`.
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ id: id.replace(/^\w+::/, ''), reason })));
    for (const a of acknowledged) expect(a.reason.length, a.id).toBeGreaterThan(40);
    const ids = new Set(acknowledged.map((a) => a.id));
    for (const f of [...FUNCTION_FINDINGS, ...ROLE_FINDINGS]) expect(ids.has(f.id), f.id).toBe(true);
    expect(ids.has('AwsSolutions-S1')).toBe(true);
  });

  it('fixes rather than acknowledges: no function role holds a managed policy', () => {
    const template = Template.fromStack(stack);
    for (const [id, role] of Object.entries(template.findResources('AWS::IAM::Role'))) {
      expect((role as any).Properties.ManagedPolicyArns, id).toBeUndefined();
    }
  });
});

it('the check can fail: an unacknowledged finding fails synthesis and is reported', () => {
  const outdir = tempDir();
  const app = new App({ outdir });
  new Bucket(new Stack(app, 'Probe'), 'NoLogs', { enforceSSL: true });
  const { violations, failed } = check(app, outdir);
  expect(failed).toBeDefined();
  expect(violations.map((v) => v.ruleName)).toContain('AwsSolutions-S1');
});
