import type { Command } from 'commander';
import type { CliIO, SetExit } from '../../util/io.js';
import { stackCommand } from './stack-command.js';

const HELP = `
Checks, one line each (ok / warn / fail, with the fix): node and pm2 versions,
the pm2 daemon, the saved dump against what runs, the boot unit, ports (held
by the right process, or by whom), venv integrity (pip check), the log dir and
free disk, mongod bound to loopback, watch or --reload anywhere in pm2, .env
permissions, and secrets that pm2 save wrote into dump.pm2. Never prints a
secret's value. Never starts a pm2 daemon.

Exit codes:
  0  no check failed (warnings allowed)
  1  at least one check failed
  2  the stack file does not load`;

export function registerDoctor(program: Command, io: CliIO, setExit: SetExit): void {
  stackCommand(program, 'doctor', 'diagnose the host, pm2 and the stack, with a fix for each problem', HELP)
    .option('--json', 'print the checks as JSON')
    .action(async (opts: { config: string; json?: boolean }) => {
      const { runDoctor } = await import('../../ops/doctor/command.js');
      setExit(await runDoctor(io, opts));
    });
}
