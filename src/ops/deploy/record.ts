import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { lastLines } from '../logs/lines.js';

// One JSON line per deploy in <logDir>/deploy.jsonl. Step timings are measured
// on the monotonic clock; `at` is the wall clock, for people.

export type DeployResult = 'deployed' | 'up-to-date' | 'refused' | 'rolled-back' | 'failed';

export interface Step {
  readonly step: 'fetch' | 'check' | 'checkout' | 'pip' | 'restart' | 'rollback-checkout' | 'rollback-restart';
  readonly service?: string;
  readonly ms: number;
  readonly ok: boolean;
}

export interface DeployRecord {
  readonly at: string;
  readonly pid: number;
  readonly ref: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly result: DeployResult;
  readonly services: readonly string[];
  readonly steps: readonly Step[];
  readonly totalMs: number;
  readonly scheduled: boolean;
  readonly error?: string;
  readonly failedService?: string;
}

export const deployFiles = (logDir: string) => ({
  records: join(logDir, 'deploy.jsonl'),
  lock: join(logDir, 'deploy.lock'),
  journal: join(logDir, 'deploy.journal.json'),
});

export function appendRecord(file: string, r: DeployRecord): void {
  mkdirSync(dirname(file), { recursive: true });
  // One write of one line with O_APPEND: two deploys' lines never interleave.
  appendFileSync(file, JSON.stringify(r) + '\n');
}

/** The newest record that `pred` accepts, among the last few hundred. */
export function lastRecord(file: string, pred: (r: DeployRecord) => boolean = () => true): DeployRecord | null {
  const lines = lastLines(file, 500, 512 * 1024);
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const r = JSON.parse(lines[i] ?? '') as DeployRecord;
      if (pred(r)) return r;
    } catch {
      /* a torn last line from a full disk: skip it */
    }
  }
  return null;
}
