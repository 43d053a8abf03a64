import { Command } from 'commander';
import type { CliIO, SetExit } from '../util/io.js';
import { packageVersion } from '../util/package-root.js';
import { registerCheck } from './commands/check.js';
import { registerInit } from './commands/init.js';
import { registerOperate } from './commands/register.js';

export const EXIT_CODES_HELP = `
Exit codes:
  0  success: no error findings, the stack is healthy, the command did what it said
  1  the check failed: error findings, a degraded or down stack, a failed probe or soak
  2  bad input or unreachable: a bad flag or file, a stack that does not load, no pm2 daemon`;

export function buildProgram(io: CliIO, setExit: SetExit): Command {
  const program = new Command('botstack')
    .description('Keeps a MongoDB + uvicorn + bot stack up on one VPS, under pm2.')
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP);
  registerCheck(program, io, setExit);
  registerInit(program, io, setExit);
  registerOperate(program, io, setExit);
  return program;
}
