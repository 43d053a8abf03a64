import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import type { SetExit } from '../program.js';

// Being written (issue #4).
export function registerRestart(program: Command, io: CliIO, setExit: SetExit): void {
  void program;
  void io;
  void setExit;
}
