import type { ProcessInfo } from '../../pm2/types.js';
import type { Stack } from '../../stack/types.js';
import type { Runner } from '../startup/run.js';

// A doctor check is a function of what was gathered once (the stack, pm2's
// list, the dump) to one or more results: data, never output.

export type Level = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  readonly check: string;
  readonly level: Level;
  readonly message: string;
  /** What to run or change; every warn and fail has one. */
  readonly fix?: string;
}

export interface DoctorContext {
  readonly stack: Stack;
  readonly env: NodeJS.ProcessEnv;
  readonly pm2Home: string;
  /** pm2's list, or null when no daemon answers. */
  readonly live: readonly ProcessInfo[] | null;
  readonly unitDir: string;
  /** Where `botstack startup` put the logrotate file (default /etc/logrotate.d). */
  readonly logrotateDir?: string;
  readonly run: Runner;
  readonly nodeVersion: string;
}

export const ok = (check: string, message: string): CheckResult => ({ check, level: 'ok', message });
export const warn = (check: string, message: string, fix: string): CheckResult => ({ check, level: 'warn', message, fix });
export const fail = (check: string, message: string, fix: string): CheckResult => ({ check, level: 'fail', message, fix });

export type SyncCheck = (ctx: DoctorContext) => CheckResult[];
export type Check = SyncCheck | ((ctx: DoctorContext) => Promise<CheckResult[]>);
