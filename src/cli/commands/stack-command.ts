import type { Command } from 'commander';

/** A subcommand that works on a stack file: `--config` with its default, and the command's help after the options. */
export function stackCommand(program: Command, name: string, description: string, help: string): Command {
  return program
    .command(name)
    .description(description)
    .option('--config <file>', 'the stack file', './ecosystem.config.ts')
    .addHelpText('after', help);
}
