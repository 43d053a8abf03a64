import type { Command } from 'commander';
import { EXIT, type CliIO, type SetExit } from '../../util/io.js';
import { stackCommand } from './stack-command.js';

const HELP = `
Health comes from the monitor's report when the monitor runs, else from one probe per service.
Never starts a pm2 daemon.

Exit codes:
  0  the stack is healthy
  1  the stack is degraded or down
  2  pm2 is unreachable, or the stack file does not load`;

export function registerStatus(program: Command, io: CliIO, setExit: SetExit): void {
  stackCommand(program, 'status', 'one row per service: pm2 status, pid, uptime, restarts, memory, CPU, health, latency, watch', HELP)
    .option('--json', 'print the report as JSON')
    .action(async (opts: { config: string; json?: boolean }) => {
      const { loadConfig, withLink } = await import('../../ops/shared/context.js');
      const { collectStatus } = await import('../../ops/status/collect.js');
      const stack = await loadConfig(io, opts.config);
      const report = await withLink(io, (link) => collectStatus(link, stack, io.signal ? { signal: io.signal } : {}));
      const { deployState, renderDeployState, headOf } = await import('../../ops/deploy/state.js');
      const deploy = deployState(stack);
      if (opts.json) io.stdout.write(JSON.stringify(deploy ? { ...report, deploy } : report, null, 2) + '\n');
      else {
        const { renderStatus } = await import('../../ops/status/render.js');
        io.stdout.write(renderStatus(report, stack.name, stack.services.filter((s) => s.reload).map((s) => s.name)));
        io.stdout.write(renderDeployState(deploy, deploy?.journal ? await headOf(stack, io.env) : null));
      }
      setExit(report.stack === 'healthy' ? EXIT.OK : EXIT.FAIL);
    });
}
