import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';

// In-process runs of `botstack ...` for the CLI's tests: their own io, exact
// text and exit code back.

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly signal?: AbortSignal;
  readonly isTTY?: boolean;
  /** Called with every stdout chunk as it is written. */
  readonly onStdout?: (chunk: string) => void;
  /** Called with every stderr chunk as it is written (progress lines). */
  readonly onStderr?: (chunk: string) => void;
}

export async function run(argv: readonly string[], opts: RunOptions = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => ((stdout += s), opts.onStdout?.(s), true) },
    stderr: { write: (s: string) => ((stderr += s), opts.onStderr?.(s), true) },
    env: opts.env ?? { PM2_HOME: join(tmpdir(), 'botstack-no-daemon-here') },
    cwd: opts.cwd ?? process.cwd(),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.isTTY !== undefined ? { isTTY: opts.isTTY } : {}),
  } as Parameters<typeof main>[1]);
  return { code, stdout, stderr };
}

/** A temp dir holding stack.config.mjs that exports `input`; returns the file's path. */
export function writeStackFile(input: unknown, dir = mkdtempSync(join(tmpdir(), 'botstack-ops-')), name = 'stack.config.mjs'): string {
  const file = join(dir, name);
  writeFileSync(file, `export default ${JSON.stringify(input, null, 2)};\n`);
  return file;
}
