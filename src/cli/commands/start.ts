import type { Command } from 'commander';
import type { CliIO, SetExit } from '../../util/io.js';
import { stackCommand } from './stack-command.js';

const HELP = `
Before anything starts: the stack must load, every script, folder and interpreter
must exist, the production rules must pass and every port must be free. If not,
nothing is started. Then services start in dependsOn order, each level waiting
until the previous one is healthy. Services already running are reported, not restarted.

Exit codes:
  0  every selected service is healthy
  1  preflight failed (nothing started), or a service never became healthy
  2  bad arguments, a stack file that does not load, or pm2 cannot be reached`;

export function registerStart(program: Command, io: CliIO, setExit: SetExit): void {
  stackCommand(program, 'start', 'start the stack (or the named services and their dependencies) in dependency order, gated on health', HELP)
    .argument('[service...]', 'services to start; their dependencies start too (default: all)')
    .action(async (names: string[], opts: { config: string }) => {
      const { startFlow } = await import('../../ops/start/flow.js');
      setExit(await startFlow(io, opts.config, names));
    });
}
