import type { ProcessEvent, ProcessInfo } from '../pm2/types.js';
import type { Observation, Pm2Liveness, ServiceHealth } from './health.js';
import type { RestartRecord } from './history.js';
import type { ProbeRun } from './run-probe.js';
import type { ServiceSpec } from './settle.js';
import type { Service } from '../stack/types.js';

// What pm2 and the probes say, as the brain's observations (health.ts), and
// the log lines for what it did with them. Pure: the monitor feeds these in.

const LIVENESS: Record<string, Pm2Liveness> = { online: 'online', launching: 'restarting', 'waiting restart': 'restarting', stopping: 'restarting', 'one-launch-status': 'restarting', stopped: 'stopped', errored: 'stopped' };

/** Never later than `at`: a start time "in the future" would hold a service in its grace for good. */
function startOf(p: ProcessInfo | undefined, at: number, processStart?: (p: ProcessInfo) => number | null): number | null {
  if (!p || p.startedAt === null) return null;
  const t = processStart ? processStart(p) : p.startedAt;
  return t === null ? null : Math.min(t, at);
}

/** One service's entry in pm2's list (`p`, or none), read at `at`. */
export function listObservations(p: ProcessInfo | undefined, at: number, probed: boolean, processStart?: (p: ProcessInfo) => number | null): Observation[] {
  const status = p ? (LIVENESS[p.status] ?? 'restarting') : 'absent';
  const out: Observation[] = [{ kind: 'process', at, status, pid: p?.pid ?? 0, startedAt: startOf(p, at, processStart) }];
  // A service without a probe is as healthy as pm2 says it is.
  if (!probed && status === 'online') out.push({ kind: 'probe', at, ok: true, latencyMs: 0, timedOut: false });
  return out;
}

export function probeObservation(run: ProbeRun, at: number): Observation {
  const r = run.result;
  return { kind: 'probe', at, ok: r.ok, latencyMs: r.latencyMs, timedOut: run.timedOut, ...(r.ok ? (r.note === undefined ? {} : { note: r.note }) : { reason: r.reason }) };
}

export function exitLine(e: ProcessEvent, rec: RestartRecord): string {
  return `monitor: ${e.name} exited (${rec.cause}${rec.exitCode !== null ? `, code ${rec.exitCode}` : ''})`;
}

/** A line per service whose state changed from `before` to `after`. */
export function changeLines(before: ReadonlyMap<string, ServiceHealth>, after: ReadonlyMap<string, ServiceHealth>): string[] {
  const out: string[] = [];
  for (const [name, s] of after) {
    const was = before.get(name);
    if (was && was.state !== s.state) out.push(`monitor: ${name} ${was.state} -> ${s.state}${s.blockedBy ? ` (blocked by ${s.blockedBy})` : s.lastError && s.state !== 'healthy' ? ` (${s.lastError})` : ''}`);
  }
  return out;
}

/** What the brain knows of each watched service (every service but the monitor). */
export const specsOf = (services: readonly Service[]): Map<string, ServiceSpec> =>
  new Map(services.filter((s) => s.kind !== 'monitor').map((s) => [s.name, { name: s.name, kind: s.kind, dependsOn: s.dependsOn, timing: s.health.type === 'none' ? null : s.health }]));

/** The wait before a service's next probe: faster while starting, so recovery is seen within a fraction of the interval. */
export function probeDelayMs(spec: ServiceSpec, state: ServiceHealth['state'] | undefined, startingIntervalMs: number): number {
  const interval = spec.timing?.intervalMs ?? 1000;
  return state === 'starting' ? Math.min(interval, startingIntervalMs) : interval;
}
