import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import type { SetExit } from '../program.js';

// Registers the operator commands (start, stop, restart, status, logs, doctor,
// soak, startup). Placeholder until issue #4 fills them in.
export function registerOperate(program: Command, io: CliIO, setExit: SetExit): void {
  void program;
  void io;
  void setExit;
}
