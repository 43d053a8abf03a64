import type { ServiceStatus, StatusReport } from '../status/types.js';

// What a soak proves, folded sample by sample: pure, so tests feed it reports.
// A restart is pm2's counter going up, or the pid changing under the same
// name (a delete + start resets the counter). Soak itself restarts nothing,
// so every restart it sees is unplanned.

export interface ServiceSoak {
  readonly name: string;
  readonly restarts: number;
  /** Samples where the service was not healthy (failing, stopped, starting...). */
  readonly failedProbes: number;
  readonly lastError: string | null;
  readonly memoryMinBytes: number | null;
  readonly memoryMaxBytes: number | null;
  readonly uptimeMs: number;
  readonly status: string;
  readonly health: string;
  readonly pid: number;
  readonly pm2Restarts: number;
}

export interface SoakState {
  readonly samples: number;
  readonly sampleErrors: number;
  readonly lastSampleError: string | null;
  readonly services: readonly ServiceSoak[];
}

export const emptySoak = (): SoakState => ({ samples: 0, sampleErrors: 0, lastSampleError: null, services: [] });

// 'unknown' means nothing could judge health (no probe, no monitor): not a failure.
const UP = new Set(['healthy', 'unknown']);

function foldService(prev: ServiceSoak | undefined, s: ServiceStatus): ServiceSoak {
  const failed = !UP.has(s.health) || s.status !== 'online';
  let restarts = prev?.restarts ?? 0;
  if (prev) {
    if (s.restarts > prev.pm2Restarts) restarts += s.restarts - prev.pm2Restarts;
    else if (prev.pid > 0 && s.pid > 0 && s.pid !== prev.pid) restarts += 1;
  }
  const mem = s.pid > 0 ? s.memoryBytes : null;
  const min = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
  const max = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
  return {
    name: s.name,
    restarts,
    failedProbes: (prev?.failedProbes ?? 0) + (failed ? 1 : 0),
    lastError: failed ? (s.lastError ?? `${s.status}/${s.health}`) : (prev?.lastError ?? null),
    memoryMinBytes: min(prev?.memoryMinBytes ?? null, mem),
    memoryMaxBytes: max(prev?.memoryMaxBytes ?? null, mem),
    uptimeMs: s.uptimeMs,
    status: s.status,
    health: s.health,
    // A stopped service keeps its last pid, so a later start counts as a restart.
    pid: s.pid > 0 ? s.pid : (prev?.pid ?? 0),
    pm2Restarts: s.restarts,
  };
}

export function foldSample(state: SoakState, report: StatusReport): SoakState {
  const byName = new Map(state.services.map((s) => [s.name, s]));
  return { ...state, samples: state.samples + 1, services: report.services.map((s) => foldService(byName.get(s.name), s)) };
}

export function foldError(state: SoakState, err: unknown): SoakState {
  return { ...state, samples: state.samples + 1, sampleErrors: state.sampleErrors + 1, lastSampleError: err instanceof Error ? err.message : String(err) };
}

/** Passed: every sample taken, no restart, no failed probe. */
export const soakPassed = (s: SoakState): boolean => s.samples > 0 && s.sampleErrors === 0 && s.services.every((x) => x.restarts === 0 && x.failedProbes === 0);
