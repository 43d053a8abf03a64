import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { toProcessInfo, type ProcessInfo } from '../../pm2/types.js';

// What `pm2 resurrect` would bring back: dump.pm2 (written by `pm2 save`) set
// against the running list, setting by setting. Boot runs resurrect, so a
// difference here is what the stack would look like after a reboot.

export type Dump = { readonly ok: true; readonly apps: readonly Record<string, any>[] } | { readonly ok: false; readonly reason: 'missing' | 'unreadable'; readonly message: string };

export const dumpFile = (pm2Home: string): string => join(pm2Home, 'dump.pm2');

export function readDump(pm2Home: string): Dump {
  const file = dumpFile(pm2Home);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { ok: false, reason: 'missing', message: `no saved process list at ${file}` };
  }
  try {
    const apps = JSON.parse(text) as unknown;
    if (!Array.isArray(apps)) throw new Error('not a list');
    return { ok: true, apps: apps as Record<string, any>[] };
  } catch (err) {
    return { ok: false, reason: 'unreadable', message: `${file} is not a pm2 dump: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** A dump entry is a bare pm2_env; give it the shape pm2's list has. */
export const dumpInfo = (env: Record<string, any>): ProcessInfo => toProcessInfo({ name: env.name, pm_id: env.pm_id ?? -1, pm2_env: env });

export interface DumpDifference {
  readonly service: string;
  readonly field: string;
  readonly saved: string;
  readonly running: string;
}

const FIELDS: readonly (readonly [string, (p: ProcessInfo) => unknown])[] = [
  ['watch', (p) => p.watch],
  ['max_memory_restart', (p) => p.maxMemoryRestart],
  ['kill_timeout', (p) => p.killTimeout],
  ['max_restarts', (p) => p.maxRestarts],
  ['min_uptime', (p) => p.minUptime],
  ['autorestart', (p) => p.autorestart],
  ['script', (p) => p.execPath],
  ['interpreter', (p) => p.interpreter],
  ['args', (p) => p.args.join(' ')],
  ['out_file', (p) => p.outFile],
  ['error_file', (p) => p.errFile],
];

const show = (v: unknown): string => (v === null || v === undefined ? 'unset' : String(v));

/** Every app missing from either side, and every setting that differs. */
export function compareDump(saved: readonly ProcessInfo[], running: readonly ProcessInfo[]): DumpDifference[] {
  const out: DumpDifference[] = [];
  for (const r of running) {
    const s = saved.find((x) => x.name === r.name);
    if (!s) {
      out.push({ service: r.name, field: '(app)', saved: 'absent', running: r.status });
      continue;
    }
    for (const [field, get] of FIELDS) if (show(get(s)) !== show(get(r))) out.push({ service: r.name, field, saved: show(get(s)), running: show(get(r)) });
  }
  for (const s of saved) if (!running.some((r) => r.name === s.name)) out.push({ service: s.name, field: '(app)', saved: 'present', running: 'absent' });
  return out;
}

export function describeDifference(d: DumpDifference): string {
  if (d.field === '(app)') return d.saved === 'absent' ? `${d.service} runs but is not in the saved list` : `${d.service} is in the saved list but not running`;
  return `${d.service}.${d.field} is ${d.saved} in the saved list, ${d.running} running`;
}

/**
 * Saved paths that do not resolve now: at boot, resurrect would fail to start
 * those apps. A stack in the user's folder runs botstack's own files (the
 * monitor's main, envexec.py) from the global install, so a botstack removed or
 * installed under another Node breaks them.
 */
export function unresolvedPaths(saved: readonly Record<string, any>[]): string[] {
  const out: string[] = [];
  for (const env of saved) {
    for (const [what, p] of [['script', env.pm_exec_path], ['interpreter', env.exec_interpreter], ['cwd', env.pm_cwd]] as const) {
      if (typeof p === 'string' && isAbsolute(p) && !existsSync(p)) out.push(`${String(env.name)}'s ${what} ${p} does not exist`);
    }
  }
  return out;
}
