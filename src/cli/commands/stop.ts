import type { Command } from 'commander';
import type { CliIO, SetExit } from '../../util/io.js';
import { stackCommand } from './stack-command.js';

const HELP = `
Stops the monitor first (so it heals nothing being stopped), then dependents before
their dependencies. pm2 gives each service its stop timeout, then sends SIGKILL;
any service that had to be killed is named. Never starts a pm2 daemon.

Exit codes:
  0  every selected service is stopped (or already was)
  1  a service had to be killed after its stop timeout, or pm2 failed to stop it
  2  bad arguments, or a stack file that does not load`;

export function registerStop(program: Command, io: CliIO, setExit: SetExit): void {
  stackCommand(program, 'stop', 'stop the stack (or the named services and everything that depends on them), dependents first', HELP)
    .argument('[service...]', 'services to stop; their dependents stop first (default: all)')
    .action(async (names: string[], opts: { config: string }) => {
      const { stopFlow } = await import('../../ops/stop/flow.js');
      setExit(await stopFlow(io, opts.config, names));
    });
}
