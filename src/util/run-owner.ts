import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentBootId } from './mono.js';

// Whose run a file of the monitor's belongs to (the restart history, the alert
// journal): this boot, and the pm2 daemon by the pid it wrote at start. A file
// from another boot or another daemon is not carried over.

export interface RunOwner {
  readonly bootId: string | null;
  readonly daemonPid: number | null;
}

/** The pm2 daemon's pid, from the file it writes in its PM2_HOME at start. */
export function daemonPid(pm2Home: string): number | null {
  try {
    const pid = Number(readFileSync(join(pm2Home, 'pm2.pid'), 'utf8').trim());
    return pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export const runOwner = (pm2Home: string): RunOwner => ({ bootId: currentBootId(), daemonPid: daemonPid(pm2Home) });
