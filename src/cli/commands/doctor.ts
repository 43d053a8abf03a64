import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import type { SetExit } from '../program.js';

// Placeholder: `botstack doctor` (issue #4, another helper) replaces this.
export function registerDoctor(program: Command, io: CliIO, setExit: SetExit): void {
  void program;
  void io;
  void setExit;
}
