import type { Command } from 'commander';
import type { CliIO, SetExit } from '../../util/io.js';
import { stackCommand } from './stack-command.js';

const HELP = `
Installs pm2's systemd unit with an explicit user and home (never User=undefined),
the PM2_HOME this shell uses and a PATH holding node and pm2, then runs pm2 save
and checks that pm2 resurrect would restore every service with watch off and the
same limits. It also writes /etc/logrotate.d/botstack-<stack>: every service's log
rotated daily or past --log-max-size, renamed then reopened by pm2 reloadLogs, so
no line is lost (docs/logs.md). Needs root, except --dry-run.

Exit codes:
  0  installed (or removed, or printed) and verified
  1  a step failed, or resurrect would not restore the stack as it runs
  2  bad flag, not root, the stack file does not load, or pm2 is unreachable`;

export function registerStartup(program: Command, io: CliIO, setExit: SetExit): void {
  stackCommand(program, 'startup', 'make the running stack come back on boot (pm2 startup systemd + pm2 save), verified', HELP)
    .option('--dry-run', 'print the unit it would install and the commands; change nothing')
    .option('--remove', 'remove the boot unit (pm2 unstartup, then whatever it left)')
    .option('--user <name>', 'user the unit runs pm2 as (default: $SUDO_USER, $USER)')
    .option('--home <dir>', "that user's home (default: from /etc/passwd)")
    .option('--log-max-size <size>', 'rotate a log past this size, even within the day', '50M')
    .option('--log-keep <n>', 'rotated files kept per log', '14')
    .option('--log-max-age <days>', 'delete rotated files older than this', '14')
    .action(async (opts: { config: string; dryRun?: boolean; remove?: boolean; user?: string; home?: string; logMaxSize?: string; logKeep?: string; logMaxAge?: string }) => {
      const { runStartup } = await import('../../ops/startup/command.js');
      setExit(await runStartup(io, opts));
    });
}
