/**
 * Starts ONE local stack for the whole test run: a child process (`node --import tsx
 * lib/local/main.ts`, as `npm start` runs it) on free ports and a fresh temporary data directory.
 * With AWS_ENDPOINT_URL set (npm run test:localstack) the child inherits it and uses that endpoint,
 * e.g. LocalStack, instead of the embedded emulators. Tests reach it with `inject('baseUrl')`.
 *
 * A run that selects no test needing it (`vitest run test/unit`, `vitest run test/infra`) starts
 * no stack; when that cannot be told, it starts one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import type { TestProject } from 'vitest/node';
import { spawnLocalStack } from '../helpers/local-stack-process';

/** Test folders whose files talk to the local stack. */
const NEEDS_STACK = [`${sep}test${sep}integration${sep}`, `${sep}test${sep}reliability${sep}`, `${sep}test${sep}compat${sep}`, `${sep}test${sep}e2e${sep}`];

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (!(await runNeedsStack(project))) return undefined;
  const dataDir = await mkdtemp(join(tmpdir(), 'streambed-test-'));
  // STREAMBED_LOG_REQUESTS=1 npx vitest … shows the stack's request log live.
  const stack = await spawnLocalStack({
    dataDir,
    echo: process.env.STREAMBED_LOG_REQUESTS === '1',
    // Maintenance off in the shared stack: its retention would remove records that tests write with
    // old timestamps while they read them. test/integration/maintenance/ starts stacks of its own.
    env: { STREAMBED_MAINTENANCE_INTERVAL_MS: process.env.STREAMBED_MAINTENANCE_INTERVAL_MS ?? '0' },
  });
  project.provide('baseUrl', stack.url);
  project.provide('dataDir', dataDir);
  return async () => {
    const exit = await stack.stop();
    if (exit.code !== 0) {
      // The run itself may have passed; still say loudly that shutdown was not clean.
      process.stderr.write(`local stack exited with ${JSON.stringify(exit)}; its output:\n${stack.output()}\n`);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
}

async function runNeedsStack(project: TestProject): Promise<boolean> {
  if (project.vitest.config.watch) return true; // filters can change while watching
  // The CLI's file filters: not in vitest's public types, so checked before use.
  const filters: unknown = (project.vitest as unknown as { filenamePattern?: unknown }).filenamePattern;
  if (!Array.isArray(filters) || filters.length === 0 || !filters.every((f) => typeof f === 'string')) return true;
  const { testFiles } = await project.globTestFiles(filters as string[]);
  return testFiles.some((file) => NEEDS_STACK.some((dir) => file.includes(dir)));
}
