import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fmtBytes } from '../../util/format.js';
import { diskFree } from '../shared/host.js';
import { fail, ok, warn, type SyncCheck, type CheckResult } from './types.js';

// `df -h` and `du -sh logs/`, with thresholds: a full disk stops mongod and
// every log at once.

const GiB = 1024 ** 3;
/** Not pm2-logrotate: it copies then truncates, losing the lines written in between (see docs/logs.md). */
const ROTATE_FIX = 'rotate the logs: sudo botstack startup installs logrotate(8) for them (rename, then pm2 reloadLogs: no line lost)';
const MiB = 1024 ** 2;

/** Bytes under `dir`, at most `depth` levels down (log dirs are flat). */
function dirSize(dir: string, depth = 2): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isFile()) total += statSync(p).size;
    else if (e.isDirectory() && depth > 0) total += dirSize(p, depth - 1);
  }
  return total;
}

export const logDir: SyncCheck = (ctx) => {
  const dirs = [...new Set([ctx.stack.logDir, ...ctx.stack.services.map((s) => join(s.outFile, '..'))])];
  const out: CheckResult[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) {
      out.push(warn('logs', `log dir ${dir} does not exist yet`, `mkdir -p ${dir} (botstack start creates it)`));
      continue;
    }
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      out.push(fail('logs', `log dir ${dir} is not writable by this user`, `chown -R $(id -un) ${dir}`));
      continue;
    }
    const size = dirSize(dir);
    out.push(size > GiB ? warn('logs', `log dir ${dir} holds ${fmtBytes(size)}`, ROTATE_FIX) : ok('logs', `log dir ${dir} is writable, ${fmtBytes(size)}`));
  }
  return out;
};

/** The nearest existing folder of `dir`, so a log dir not made yet is measured on the disk it will be on. */
function existing(dir: string): string {
  let d = dir;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

/** Free space on every disk that holds a log: the stack's log dir, and any other folder a service logs to. */
export const disk: SyncCheck = (ctx) => {
  const dirs = [...new Set([ctx.stack.logDir, ...ctx.stack.services.flatMap((s) => [dirname(s.outFile), dirname(s.errFile)])])];
  const seen = new Set<number>();
  const out: CheckResult[] = [];
  for (const dir of dirs) {
    let dev: number;
    try {
      dev = statSync(existing(dir)).dev;
    } catch {
      dev = -seen.size - 1;
    }
    if (seen.has(dev)) continue;
    seen.add(dev);
    out.push(diskOf(dir));
  }
  return out;
};

function diskOf(dir: string): CheckResult {
  const free = diskFree(dir);
  if (free === null) return warn('disk', `cannot read free space for ${dir}`, `df -h ${dir}`);
  if (free < 100 * MiB) return fail('disk', `${fmtBytes(free)} free on the disk holding ${dir}`, `free space now: delete old logs, dumps and backups (du -sh /* | sort -h); then ${ROTATE_FIX.replace('rotate the logs: ', '')}`);
  if (free < GiB) return warn('disk', `only ${fmtBytes(free)} free on the disk holding ${dir}`, `free space: delete old logs and backups, or ${ROTATE_FIX}`);
  return ok('disk', `${fmtBytes(free)} free on the disk holding ${dir}`);
}
