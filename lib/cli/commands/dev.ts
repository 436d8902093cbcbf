/**
 * `streambed dev`: the local stack, exactly as `npm start` runs it (lib/local/main.ts reads the
 * same environment: PORT, STREAMBED_DATA_DIR, STREAMBED_CONFIG, …); the flags only set that
 * environment. It runs until Ctrl-C / SIGTERM, handled by lib/local/main.ts.
 */
import { Command } from 'commander';
import { nonNegativeInt } from '../options';

export function devCommand(): Command {
  return new Command('dev')
    .description('run the local stack (embedded S3 + DynamoDB emulators, the whole API on one port), same as `npm start`')
    .option('--port <port>', 'HTTP port (env PORT, default 8080; 0 picks a free one)', nonNegativeInt)
    .option('--data-dir <dir>', 'where the emulators keep data (env STREAMBED_DATA_DIR, default ./.streambed)')
    .option('--config <file>', 'trigger config JSON (env STREAMBED_CONFIG)')
    .addHelpText('after', '\nEvery other setting of `npm start` (STREAMBED_S3_PORT, STREAMBED_DYNAMODB_PORT, STREAMBED_BASIC_AUTH,\nAWS_ENDPOINT_URL, …) is read from the environment as documented in docs/api.md, "Local stack".')
    .action(async (opts: { port?: number; dataDir?: string; config?: string }) => {
      if (opts.port !== undefined) process.env.PORT = String(opts.port);
      if (opts.dataDir !== undefined) process.env.STREAMBED_DATA_DIR = opts.dataDir;
      if (opts.config !== undefined) process.env.STREAMBED_CONFIG = opts.config;
      await import('../../local/main');
      // lib/local/main.ts owns the process from here (it exits on SIGINT/SIGTERM).
      await new Promise<never>(() => {});
    });
}
