import type { HealthReport, HealthState, ServiceReport } from '../../monitor/report.js';
import type { Pm2Reader, ProcessInfo } from '../../pm2/types.js';
import type { Service, Stack } from '../../stack/types.js';
import { probeOnce } from '../shared/probe-once.js';

// Where `status` gets health from: the running monitor's report when it offers
// one (it has history: restarts in the last hour, heals), else one probe per
// service run here, in parallel.

export interface ServiceHealth {
  readonly state: HealthState;
  readonly latencyMs: number | null;
  readonly restartsLastHour: number | null;
  readonly lastError: string | null;
  readonly note: string | null;
}

export interface HealthView {
  readonly source: 'monitor' | 'cli-probe' | 'none';
  readonly byName: ReadonlyMap<string, ServiceHealth>;
}

const MONITOR_TIMEOUT_MS = 1500;
const RUNNING = new Set(['online', 'launching']);
const NO_VERDICT = new Set<HealthState>(['starting', 'unknown']);

export function isRunning(p: ProcessInfo | undefined): boolean {
  return p !== undefined && RUNNING.has(p.status);
}

/** The monitor's report, or null when no monitor runs, offers no `health` action, or does not answer. */
export async function monitorReport(client: Pm2Reader, stack: Stack, list: readonly ProcessInfo[]): Promise<HealthReport | null> {
  const monitor = stack.services.find((s) => s.kind === 'monitor');
  const proc = monitor && list.find((p) => p.name === monitor.name);
  if (!monitor || !proc || proc.status !== 'online' || !proc.actions.includes('health')) return null;
  try {
    const reply = await client.triggerId(proc.pmId, 'health', undefined, MONITOR_TIMEOUT_MS);
    const report = (typeof reply === 'string' ? JSON.parse(reply) : reply) as HealthReport | null;
    return report && typeof report === 'object' && report.services ? report : null;
  } catch {
    return null;
  }
}

const fromReport = (r: ServiceReport): ServiceHealth => ({ state: r.state, latencyMs: r.latencyMs, restartsLastHour: r.restarts, lastError: r.lastError, note: r.note ?? null });

async function probeHealth(s: Service, proc: ProcessInfo | undefined, signal?: AbortSignal): Promise<ServiceHealth> {
  const none = { latencyMs: null, restartsLastHour: null, lastError: null, note: null };
  if (!isRunning(proc)) return { ...none, state: 'stopped' };
  const r = await probeOnce(s, signal);
  if (r === null) return { ...none, state: proc?.status === 'online' ? 'healthy' : 'starting' };
  return r.ok ? { ...none, state: 'healthy', latencyMs: r.latencyMs, note: r.note ?? null } : { ...none, state: 'failing', latencyMs: r.latencyMs, lastError: r.reason };
}

/** One service's health: the monitor's verdict when it has one, else a probe of our own. */
async function serviceHealth(s: Service, proc: ProcessInfo | undefined, r: ServiceReport | undefined, signal?: AbortSignal): Promise<ServiceHealth> {
  // No verdict yet (the monitor's first probe is pending, or it does not report
  // on itself): ask the service directly, keeping the monitor's restart history.
  if (r && isRunning(proc) && !NO_VERDICT.has(r.state)) return fromReport(r);
  const own = await probeHealth(s, proc, signal);
  return r ? { ...own, restartsLastHour: r.restarts } : own;
}

export async function healthView(client: Pm2Reader, stack: Stack, list: readonly ProcessInfo[], signal?: AbortSignal): Promise<HealthView> {
  const byProc = new Map(list.map((p) => [p.name, p]));
  const report = await monitorReport(client, stack, list);
  const results = await Promise.all(stack.services.map((s) => serviceHealth(s, byProc.get(s.name), report?.services[s.name], signal)));
  const byName = new Map(stack.services.map((s, i) => [s.name, results[i]!]));
  if (report) return { source: 'monitor', byName };
  const probed = stack.services.some((s) => s.health.type !== 'none' && isRunning(byProc.get(s.name)));
  return { source: probed ? 'cli-probe' : 'none', byName };
}
