import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runtimePaths } from '../util/package-root.js';

// How botstack's pm2 daemons are started: with runtime/pm2-reopen-logs.cjs
// preloaded (PM2_NODE_OPTIONS, which pm2's Client.launchDaemon appends to the
// daemon's node arguments). Without it, `pm2 reloadLogs` destroys each log
// stream and drops the writes still queued in it; log rotation would lose
// lines (test/integration/logrotate-lossless.test.ts shows both).

const flag = () => `--require=${runtimePaths.reopenLogs()}`;

/** PM2_NODE_OPTIONS with the preload added once (pm2 splits the value on spaces). */
export function daemonNodeOptions(existing: string | undefined): string {
  const f = flag();
  if (existing?.includes(runtimePaths.reopenLogs())) return existing;
  return existing && existing.trim() !== '' ? `${existing} ${f}` : f;
}

/** The preload's current version (runtime/pm2-reopen-logs.cjs writes it after its pid). */
export const REOPEN_FIX_VERSION = 2;

/**
 * Which preload the daemon PM2_HOME names runs: the preload writes its pid
 * (and, since version 2, its version) next to pm2.pid (pm2 renames its
 * process, so its command line says nothing). 'outdated': version 1, which
 * kept every reopened log file open (one fd per log file per rotation). Null
 * when no pm2.pid is there.
 */
export function daemonReopenFix(home: string): 'current' | 'outdated' | 'missing' | null {
  const read = (f: string) => {
    try {
      return readFileSync(join(home, f), 'utf8').trim();
    } catch {
      return null;
    }
  };
  const pid = read('pm2.pid');
  if (pid === null) return null;
  const [ownPid, version] = (read('botstack-reopen-logs.pid') ?? '').split(/\s+/);
  if (ownPid !== pid) return 'missing';
  return Number(version ?? 1) >= REOPEN_FIX_VERSION ? 'current' : 'outdated';
}

/** Whether that daemon runs the current preload; null when no pm2.pid is there. */
export function daemonHasReopenFix(home: string): boolean | null {
  const r = daemonReopenFix(home);
  return r === null ? null : r === 'current';
}
