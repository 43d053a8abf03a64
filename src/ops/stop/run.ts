import { join } from 'node:path';
import type { Pm2Client } from '../../pm2/client.js';
import { startLevels, withDependents } from '../../stack/order.js';
import type { Service, Stack } from '../../stack/types.js';
import { lastLines } from '../logs/lines.js';
import { isRunning } from '../status/health.js';

// Stop in reverse dependency order (dependents first), each within its own stop
// timeout, and say which ones pm2 had to SIGKILL.

export type StopOutcome =
  | { readonly service: string; readonly result: 'stopped'; readonly ms: number; readonly killed: boolean; readonly stopTimeoutMs: number }
  | { readonly service: string; readonly result: 'already-stopped' | 'absent' }
  | { readonly service: string; readonly result: 'error'; readonly ms: number; readonly reason: string };

/** Groups of services to stop, in order: monitors first (so nothing heals what we stop), then dependents before dependencies. */
export function stopGroups(stack: Stack, names: readonly string[]): Service[][] {
  const selected = names.length === 0 ? [...stack.services] : withDependents(stack.services, names);
  const monitors = selected.filter((s) => s.kind === 'monitor');
  const rest = selected.filter((s) => s.kind !== 'monitor');
  // Levels of the whole stack, filtered: a subset's dependencies may lie outside it.
  const keep = new Set(rest.map((s) => s.name));
  const levels = startLevels(stack.services)
    .map((level) => level.filter((s) => keep.has(s.name)))
    .filter((level) => level.length > 0)
    .reverse();
  return monitors.length > 0 ? [monitors, ...levels] : levels;
}

/** pm2 writes this line to its own log just before it SIGKILLs a tree that outlived kill_timeout. */
function wasKilled(home: string, pid: number): boolean {
  return lastLines(join(home, 'pm2.log'), 400, 256 * 1024).some((l) => l.includes(`Process with pid ${pid} still alive after`));
}

async function stopOne(client: Pm2Client, s: Service): Promise<StopOutcome> {
  const p = await client.get(s.name);
  if (!p) return { service: s.name, result: 'absent' };
  if (!isRunning(p)) return { service: s.name, result: 'already-stopped' };
  const t0 = performance.now();
  try {
    await client.stop(s.name, s.stopTimeoutMs + 15_000);
  } catch (err) {
    return { service: s.name, result: 'error', ms: performance.now() - t0, reason: err instanceof Error ? err.message : String(err) };
  }
  const ms = performance.now() - t0;
  return { service: s.name, result: 'stopped', ms, killed: wasKilled(client.home, p.pid), stopTimeoutMs: s.stopTimeoutMs };
}

export async function runStop(client: Pm2Client, groups: readonly (readonly Service[])[], onOutcome: (o: StopOutcome) => void = () => undefined): Promise<StopOutcome[]> {
  const all: StopOutcome[] = [];
  for (const group of groups) {
    const outcomes = await Promise.all(group.map((s) => stopOne(client, s)));
    outcomes.forEach(onOutcome);
    all.push(...outcomes);
  }
  return all;
}
