import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, writeStackFile, type Run } from './ops-cli.js';

// The start/stop/restart/status tests' shorthand over ops-cli.ts's run().

export type CliRun = Run;

/** A PM2_HOME where no daemon runs (never created). */
export const NO_DAEMON = join(tmpdir(), 'botstack-cli-no-daemon');

export const cli = (argv: readonly string[], env: NodeJS.ProcessEnv = { PM2_HOME: NO_DAEMON }, cwd = process.cwd()): Promise<CliRun> => run(argv, { env, cwd });

/** A temp folder holding stack.mjs that exports `input`; returns the file's path. */
export const stackFile = (input: unknown, dir = mkdtempSync(join(tmpdir(), 'botstack-cli-'))): string => writeStackFile(input, dir, 'stack.mjs');
