/**
 * Builds the Streambed stack for the infra tests with the feature flags of cdk.json, so the tests
 * see the template `cdk synth` produces. Bundling is skipped unless asked for (it runs esbuild).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PROJECT_ROOT } from '../../infra/streambed-function';
import { StreambedStack, type StreambedStackProps } from '../../infra/streambed-stack';

const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };

export interface Synthesized {
  readonly app: App;
  readonly stack: StreambedStack;
  readonly template: Template;
}

export interface SynthOptions {
  /** Run esbuild for real (slow: one bundle per function). @default false */
  readonly bundle?: boolean;
  /** Cloud assembly directory. @default a fresh temporary directory */
  readonly outdir?: string;
  readonly stackProps?: StreambedStackProps;
}

/** The app and stack, not yet synthesized (add more stacks to the app first if needed). */
export function streambedApp(options: SynthOptions = {}): { app: App; stack: StreambedStack } {
  const context: Record<string, unknown> = { ...cdkJson.context };
  if (!options.bundle) context['aws:cdk:bundling-stacks'] = [];
  const app = new App({ context, outdir: options.outdir });
  return { app, stack: new StreambedStack(app, 'Streambed', options.stackProps) };
}

export function synthStreambed(options: SynthOptions = {}): Synthesized {
  const { app, stack } = streambedApp(options);
  return { app, stack, template: Template.fromStack(stack) };
}
