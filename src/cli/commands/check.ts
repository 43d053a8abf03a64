import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import type { SetExit } from '../program.js';

// Placeholder: `botstack check` (issue #2, rules) replaces this.
export function registerCheck(program: Command, io: CliIO, setExit: SetExit): void {
  void program;
  void io;
  void setExit;
}
