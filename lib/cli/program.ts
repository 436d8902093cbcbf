/**
 * The `streambed` command tree (commander): global `--url`/`--region`, then one subcommand per
 * file in commands/. Parse errors throw (exitOverride) so main.ts can map them to exit code 2.
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { benchCommand } from './commands/bench';
import { consumeCommand } from './commands/consume';
import { devCommand } from './commands/dev';
import { groupsCommand } from './commands/groups';
import { produceCommand } from './commands/produce';
import { topicsCommand } from './commands/topics';
import { DEFAULT_URL } from './context';

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function buildProgram(): Command {
  const program = new Command('streambed')
    .description("Streambed: Kafka's model on AWS serverless parts. Talks to a local (`streambed dev`) or deployed stack over HTTP.")
    .version(version(), '-V, --version')
    .addOption(new Option('--url <url>', `API base URL (env STREAMBED_URL, default ${DEFAULT_URL}); a non-local URL is SigV4-signed with your AWS credentials`))
    .addOption(new Option('--region <region>', 'AWS region for SigV4 when the URL does not name one (custom domain)'))
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ showGlobalOptions: true });
  for (const command of [devCommand(), topicsCommand(), produceCommand(), consumeCommand(), groupsCommand(), benchCommand()]) {
    program.addCommand(command);
  }
  applyToAll(program);
  return program;
}

/** addCommand() does not copy settings to commands built elsewhere: apply them down the tree. */
function applyToAll(command: Command): void {
  for (const sub of command.commands) {
    sub.exitOverride().showHelpAfterError('(add --help for usage)').configureHelp({ showGlobalOptions: true });
    applyToAll(sub);
  }
}
