import type { Command } from 'commander';
import type { CliIO, SetExit } from '../../util/io.js';
import { stackCommand } from './stack-command.js';

const HELP = `
Sends one test message through every alert channel the stack has (Telegram, the
webhook), from <root>/.env, the environment and the stack file's alerts block,
the way the monitor reads them. Retries within --timeout. Never prints a token.

Exit codes:
  0  every configured channel took the message
  1  a channel failed (its error is printed)
  2  no channel is configured, the alert settings are invalid, or the stack file does not load`;

export function registerAlert(program: Command, io: CliIO, setExit: SetExit): void {
  const alert = program.command('alert').description('alerts to Telegram or a webhook');
  stackCommand(alert, 'test', 'send a test alert through every configured channel and report delivery per channel', HELP)
    .option('--timeout <d>', 'give up on a channel after this long, like 30s', '30s')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { config: string; timeout: string; json?: boolean }) => {
      const { alertTest } = await import('../../ops/alert/send-test.js');
      setExit(await alertTest(io, opts));
    });
}
