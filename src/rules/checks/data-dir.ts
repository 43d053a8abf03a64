import { finding, type App, type Rule } from '../types.js';
import { fixFor } from './fix.js';

// A database whose files live under /tmp or /dev/shm loses every document when
// the folder is emptied: /dev/shm is memory, and /tmp is a tmpfs or is cleaned
// at boot on many systems (systemd-tmpfiles, Debian's tmp.mount). Moving the
// path silently would be worse: the database would start empty on the new path
// and the service would run on nothing. So the fix is a move, step by step.

const VOLATILE = /^\/(tmp|dev\/shm|run\/shm)(\/|$)/;
/** Flags that name a database's data folder, by program. */
const DATA_FLAGS = ['--dbpath', '--datadir', '--data-dir', '--dir', '-D', '--pgdata'];
const DATA_ENV = /^(PGDATA|MONGO_DATA(_DIR)?|MONGODB_DATA(_DIR)?|DATA_DIR|DB_PATH|DBPATH|REDIS_DIR|MYSQL_DATADIR)$/;
/** Container paths databases keep their files in. */
const DATA_TARGET = /^\/(data(\/db|\/configdb)?|var\/lib\/(postgresql|mysql|mongodb|redis)|bitnami)(\/|$)/;

export interface DataDir {
  readonly path: string;
  /** Where it was set, in the file's terms: "--dbpath", "PGDATA", "volumes". */
  readonly via: string;
}

const clean = (p: string): string => p.replace(/^['"]|['"]$/g, '');

/** /tmp/<x>: the scratch folder a path sits in. */
const scratchOf = (p: string): string | null => /^\/(?:tmp|dev\/shm|run\/shm)\/[^/]+/.exec(p)?.[0] ?? null;

/**
 * A service that itself runs from a scratch folder (a test, a throwaway checkout)
 * loses its code with its data: keeping both there is consistent, not a slip.
 */
const sameScratch = (app: App, path: string): boolean => app.cwd !== null && scratchOf(app.cwd) !== null && scratchOf(app.cwd) === scratchOf(path);

/** Data folders under /tmp or /dev/shm that this app's database (or data-flagged program) keeps its files in. */
export function volatileDataDirs(app: App): DataDir[] {
  return allDataDirs(app).filter((d) => !sameScratch(app, d.path));
}

function allDataDirs(app: App): DataDir[] {
  const out: DataDir[] = [];
  const a = app.argv;
  for (let i = 0; i < a.length; i++) {
    const w = a[i] ?? '';
    const eq = w.indexOf('=');
    const flag = eq > 0 ? w.slice(0, eq) : w;
    if (!DATA_FLAGS.includes(flag)) continue;
    // -D and --dir mean other things to other programs: only a database's count.
    if ((flag === '-D' || flag === '--dir') && app.database === null) continue;
    const value = clean(eq > 0 ? w.slice(eq + 1) : (a[i + 1] ?? ''));
    if (VOLATILE.test(value)) out.push({ path: value, via: flag });
  }
  for (const [k, v] of Object.entries(app.env)) if (DATA_ENV.test(k) && VOLATILE.test(clean(v))) out.push({ path: clean(v), via: k });
  for (const v of app.volumes ?? []) {
    if (VOLATILE.test(v.source) && (app.database !== null || DATA_TARGET.test(v.target))) out.push({ path: v.source, via: `volumes (${v.source}:${v.target})` });
  }
  return out;
}

const SAFE_HOME: Readonly<Record<string, string>> = { mongod: '/var/lib/mongodb', postgres: '/var/lib/postgresql/data', mysql: '/var/lib/mysql', redis: '/var/lib/redis' };

function steps(app: App, d: DataDir): string {
  const dest = SAFE_HOME[app.database ?? ''] ?? '/var/lib/<service>';
  const set = fixFor(app, {
    botstack: `set dbpath: '${dest}' (or a folder under the root, e.g. 'data/mongo') on ${app.name}`,
    pm2: `change ${d.via} to ${dest} in ${app.name}'s args`,
    shell: `change ${d.via} ${d.path} to ${dest} on line ${app.line ?? '?'}`,
    compose: `change the volume to ${dest}:<target> (or a named volume) in services.${app.name}.volumes`,
    systemd: `change ${d.via} to ${dest} in ExecStart`,
  });
  return [
    `1. stop ${app.name} cleanly (botstack stop ${app.name}, or its own shutdown) so the files are consistent`,
    `2. move the files: mkdir -p ${dest} && cp -a ${d.path}/. ${dest}/ (then check the copy before deleting the old folder)`,
    `3. ${set}`,
    `4. start it and check the data is there (a count of documents/rows) before anything else writes. Never change the path without moving the files: it would start on an empty database`,
  ].join('; ');
}

export const dbDataInTmp: Rule = (app, ctx) =>
  volatileDataDirs(app).map((d) => {
    const what = app.database ?? 'its data';
    const message = `${app.name} keeps ${what === 'its data' ? 'its data' : `${what}'s data`} in ${d.path} (${d.via}): ${d.path.startsWith('/tmp') ? '/tmp is emptied at boot on many systems (tmpfs, systemd-tmpfiles)' : '/dev/shm is memory'}, and every document goes with it`;
    return finding(ctx, app, { rule: 'db-data-in-tmp', severity: 'error', message, fix: steps(app, d), field: 'dbpath' });
  });
