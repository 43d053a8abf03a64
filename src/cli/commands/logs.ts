import type { Command } from 'commander';
import type { CliIO, SetExit } from '../../util/io.js';
import { stackCommand } from './stack-command.js';

const HELP = `
Shows each service's own out and err log (stderr lines are tagged "name!").
Paths come from the stack and are checked against pm2's live process list.
--errors counts error, exception, Python traceback and SIGTERM/SIGKILL lines,
streaming each file (bounded memory, any size). --since reads from the end.

Exit codes:
  0  lines shown; with --errors, no error lines found
  1  --errors found error lines
  2  bad flag or service, or the stack file does not load`;

export interface LogsFlags {
  config: string;
  errors?: boolean;
  since?: string;
  follow?: boolean;
  lines?: string;
  json?: boolean;
}

export function registerLogs(program: Command, io: CliIO, setExit: SetExit): void {
  stackCommand(program, 'logs [service]', "a service's log lines (all services when none is named), or with --errors the error counts", HELP)
    .option('--errors', 'count errors, exceptions, tracebacks and SIGTERM/SIGKILL lines')
    .option('--since <duration>', 'only lines from the last duration, like 30m or 1h')
    .option('--follow', 'keep printing new lines until Ctrl-C')
    .option('--lines <n>', 'lines per service (with --errors: newest error lines shown)')
    .option('--json', 'print JSON')
    .action(async (service: string | undefined, opts: LogsFlags) => {
      const { runLogs } = await import('../../ops/logs/command.js');
      setExit(await runLogs(io, service, opts));
    });
}
