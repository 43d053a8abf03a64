import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';

// In-process `botstack ...` for start/stop/restart/status tests: exact text and code back.

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A PM2_HOME where no daemon runs (never created). */
export const NO_DAEMON = join(tmpdir(), 'botstack-cli-no-daemon');

export async function cli(argv: readonly string[], env: NodeJS.ProcessEnv = { PM2_HOME: NO_DAEMON }, cwd = process.cwd()): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => ((stdout += s), true) },
    stderr: { write: (s: string) => ((stderr += s), true) },
    env,
    cwd,
  } as Parameters<typeof main>[1]);
  return { code, stdout, stderr };
}

/** A temp folder holding stack.mjs that exports `input`; returns the file's path. */
export function stackFile(input: unknown, dir = mkdtempSync(join(tmpdir(), 'botstack-cli-'))): string {
  const file = join(dir, 'stack.mjs');
  writeFileSync(file, `export default ${JSON.stringify(input, null, 2)};\n`);
  return file;
}
