import type { Command } from 'commander';
import type { CliIO, SetExit } from '../../util/io.js';
import { stackCommand } from './stack-command.js';

const HELP = `
Restarts the service through pm2 (its counters and logs stay true) and waits until
its health check passes. Refuses when a service it depends on is down, since it
would only fail without it; --force restarts anyway.

Exit codes:
  0  the service restarted and is healthy
  1  refused (a dependency is down), or it did not become healthy in its start grace
  2  bad arguments, a stack file that does not load, or no pm2 daemon`;

export function registerRestart(program: Command, io: CliIO, setExit: SetExit): void {
  stackCommand(program, 'restart', 'restart one service and wait until it is healthy again', HELP)
    .argument('<service>', 'the service to restart')
    .option('--force', 'restart even when a dependency is down')
    .action(async (name: string, opts: { config: string; force?: boolean }) => {
      const { restartFlow } = await import('../../ops/restart/flow.js');
      setExit(await restartFlow(io, opts.config, name, opts.force === true));
    });
}
