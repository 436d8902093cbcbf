#!/usr/bin/env node
// The `streambed` command. The package ships TypeScript sources, so this launcher registers tsx's
// ESM loader in this process and runs lib/cli/main.ts (no child process, no build step).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../lib/cli/main.ts');
const code = await runCli(process.argv.slice(2));
// Let stdout drain (a pipe to a slow reader), then exit even if a handle is still open.
process.stdout.write('', () => process.exit(code));
