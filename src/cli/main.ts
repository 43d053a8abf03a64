import { CommanderError } from 'commander';
import { CliError, EXIT, type CliIO } from '../util/io.js';
import { buildProgram } from './program.js';

/**
 * The one place that turns errors into messages and exit codes. Tests call it
 * in-process with their own io and assert the exact text and code.
 */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  let code: number = EXIT.OK;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are successes that commander reports by throwing.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.OK;
      return EXIT.USAGE;
    }
    if (err instanceof CliError) {
      io.stderr.write(`botstack: ${err.message}\n`);
      return err.exitCode;
    }
    io.stderr.write(`botstack: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.USAGE;
  }
}
