import type { Writable } from 'node:stream';

/** Where a command writes and what it reads; tests pass their own. */
export interface CliIO {
  readonly stdout: Pick<Writable, 'write'>;
  readonly stderr: Pick<Writable, 'write'>;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Cancels long operations (soak, logs --follow, start waits) on Ctrl-C. */
  readonly signal?: AbortSignal;
  /** Whether stdout is a terminal (progress lines, colours). */
  readonly isTTY?: boolean;
}

/** How a command reports its exit code to main(), the one place that exits. */
export type SetExit = (code: number) => void;

/** Exit codes shared by every command; documented in README and --help. */
export const EXIT = {
  OK: 0,
  /** The check failed: error findings, an unhealthy stack, a failed probe. */
  FAIL: 1,
  /** Bad input, or something could not be read or reached (pm2, a file). */
  USAGE: 2,
} as const;

/** An error the CLI turns into a message and an exit code. Never thrown past main(). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.USAGE,
    readonly code = 'BOTSTACK_CLI',
  ) {
    super(message);
  }
}

export const line = (w: Pick<Writable, 'write'>, text = ''): void => {
  w.write(text + '\n');
};
