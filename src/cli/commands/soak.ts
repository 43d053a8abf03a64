import type { Command } from 'commander';
import type { CliIO, SetExit } from '../../util/io.js';
import { stackCommand } from './stack-command.js';

const HELP = `
Samples status (pm2 list, process trees, health) every interval for the
duration, with a progress line on stderr, then prints per service: uptime,
unplanned restarts, failed probes, memory min..max. Never starts pm2.
Ctrl-C ends it early with the summary so far.

Exit codes:
  0  no service restarted or failed a probe for the whole duration
  1  a service restarted or failed a probe, a sample failed, or it was cancelled
  2  bad flag, the stack file does not load, or pm2 is unreachable`;

export function registerSoak(program: Command, io: CliIO, setExit: SetExit): void {
  stackCommand(program, 'soak', 'prove the stack stays up: sample status for a duration and report restarts and failed probes', HELP)
    .option('--duration <d>', 'how long to watch, like 1h or 30m', '1h')
    .option('--interval <d>', 'time between samples, like 10s', '10s')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { config: string; duration: string; interval: string; json?: boolean }) => {
      const { runSoak } = await import('../../ops/soak/command.js');
      setExit(await runSoak(io, opts));
    });
}
