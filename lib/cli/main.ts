/**
 * The CLI's entry: parse, run the command, and turn the outcome into an exit code (errors.ts:
 * 0 ok, 1 runtime/API error, 2 usage). bin/streambed.mjs calls runCli.
 */
import { CommanderError } from 'commander';
import { describeFailure, EXIT_OK, EXIT_USAGE } from './errors';
import { buildProgram } from './program';

export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help / --version end with exitCode 0; everything else commander reports is a usage error
      // (already printed by commander on stderr).
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    const { message, exitCode } = describeFailure(err);
    process.stderr.write(`${message}\n`);
    return exitCode;
  }
}
