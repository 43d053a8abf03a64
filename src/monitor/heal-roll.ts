import { readFileSync } from 'node:fs';
import type { RollResult } from '../stack/rolling.js';

// A heal of a held uvicorn service (stack/launch-held.ts) by a rolling restart:
// the holder starts a new uvicorn on the same socket, health-gated, and only
// then kills the hung one, so the connections that queued during the hang are
// answered by the new process instead of being reset by a pm2 restart.
//
// Only where it is safe: two uvicorns run at once for a moment, so the heal
// rolls only when the machine has room for another copy of the current one
// (MemAvailable at least twice its tree's RSS). Otherwise, or when the holder
// does not answer, or the new process fails its gate (the fault is not the
// process: its database is down), the heal falls back to pm2's restart, as
// before. The service's memory limit counts the larger child, not both
// (held-memory.ts), so the overlap never trips it.

export interface RollHealDeps {
  readonly roll: (dir: string, opts: { timeoutMs: number; killOld: boolean }) => Promise<RollResult>;
  /** /proc/meminfo's MemAvailable in bytes, or null if unreadable. */
  readonly memAvailable: () => number | null;
  /** Bytes the serving uvicorn's tree holds now, or null. */
  readonly childRss: () => number | null;
}

export interface RollHealTarget {
  readonly dir: string;
  /** The last probe got no answer at all: the old process cannot run a graceful stop. */
  readonly hung: boolean;
  readonly timeoutMs: number;
}

export type RollHeal = { readonly rolled: true; readonly pid: number } | { readonly rolled: false; readonly why: string };

export function roomForTwo(deps: Pick<RollHealDeps, 'memAvailable' | 'childRss'>): string | null {
  const avail = deps.memAvailable();
  const child = deps.childRss();
  if (avail === null || child === null) return 'its memory could not be measured';
  if (avail < 2 * child) return `only ${mib(avail)} MiB available, and a second copy needs about ${mib(child)} MiB (with as much to spare)`;
  return null;
}

export async function healByRoll(deps: RollHealDeps, t: RollHealTarget): Promise<RollHeal> {
  const tight = roomForTwo(deps);
  if (tight !== null) return { rolled: false, why: `not rolled: ${tight}` };
  const r = await deps.roll(t.dir, { timeoutMs: t.timeoutMs, killOld: t.hung });
  if (r.ok) return { rolled: true, pid: r.pid };
  return { rolled: false, why: r.unreachable ? `not rolled: ${r.reason}` : `the new process failed its health gate (${r.reason})` };
}

export function memAvailable(procRoot = '/proc'): number | null {
  try {
    const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync(`${procRoot}/meminfo`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

const mib = (b: number): number => Math.round(b / 2 ** 20);
