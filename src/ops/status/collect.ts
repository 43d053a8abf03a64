import { failureRedactor } from '../shared/excerpt.js';
import type { Pm2Reader, ProcessInfo } from '../../pm2/types.js';
import type { Service, Stack } from '../../stack/types.js';
import { snapshot, treeUsage, type ProcStat } from '../../util/proctree.js';
import { hostFigures } from '../shared/host.js';
import { healthView, type ServiceHealth } from './health.js';
import type { ServiceStatus, StackState, StatusReport } from './types.js';

// `botstack status` as data: pm2's list, the process trees in /proc, and health
// from the monitor (or probes). Soak and doctor build on this; render-status
// turns it into text.

export interface CollectOptions {
  readonly signal?: AbortSignal;
  /** For tests: the clock uptime is measured against. */
  readonly now?: () => number;
}

function serviceStatus(s: Service, proc: ProcessInfo | undefined, health: ServiceHealth | undefined, snap: Map<number, ProcStat>, now: number): ServiceStatus {
  const pid = proc && proc.pid > 0 && proc.status === 'online' ? proc.pid : 0;
  return {
    name: s.name,
    status: proc?.status ?? 'absent',
    pid,
    uptimeMs: proc?.startedAt ? Math.max(0, now - proc.startedAt) : 0,
    restarts: proc?.restarts ?? 0,
    restartsLastHour: health?.restartsLastHour ?? null,
    memoryBytes: pid > 0 ? treeUsage(pid, snap).rssBytes : 0,
    cpu: proc?.cpu ?? 0,
    health: health?.state ?? 'unknown',
    latencyMs: health?.latencyMs ?? null,
    watch: proc?.watch ?? false,
    lastError: health?.lastError ?? null,
    note: health?.note ?? null,
  };
}

/** healthy: every service healthy; down: none is; degraded: anything between. */
export function stackState(services: readonly ServiceStatus[]): StackState {
  const healthy = services.filter((s) => s.health === 'healthy').length;
  if (healthy === services.length && services.length > 0) return 'healthy';
  return healthy === 0 ? 'down' : 'degraded';
}

export async function collectStatus(client: Pm2Reader, stack: Stack, opts: CollectOptions = {}): Promise<StatusReport> {
  const list = await client.list();
  const mine = (name: string) => list.find((p) => p.name === name && p.namespace === stack.name) ?? list.find((p) => p.name === name);
  const health = await healthView(client, stack, list, opts.signal);
  const snap = snapshot();
  const now = (opts.now ?? Date.now)();
  // A probe's reason can quote what a service answered (a health body holding its token): redacted like every text shown.
  const redact = failureRedactor(stack);
  const services = stack.services.map((s) => {
    const st = serviceStatus(s, mine(s.name), health.byName.get(s.name), snap, now);
    return { ...st, ...(st.lastError ? { lastError: redact(st.lastError) } : {}), ...(st.note ? { note: redact(st.note) } : {}) };
  });
  return {
    stack: stackState(services),
    profile: stack.profile,
    services,
    host: hostFigures(stack.logDir),
    healthSource: health.source,
  };
}
