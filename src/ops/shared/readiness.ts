import type { Pm2Client } from '../../pm2/client.js';
import type { ProcessInfo } from '../../pm2/types.js';
import type { Service } from '../../stack/types.js';
import { monoNow, processStartMono } from '../../util/mono.js';
import { sleep } from '../../util/timeout.js';
import { proberFor, type ServiceProber } from './probe-once.js';

// "Healthy" as start and restart gate on it: pm2 says online AND the service's
// own probe answers (or, with `health: none`, online is all there is).
//
// A heartbeat service is gated on staying up, not on its heartbeat: the
// heartbeat is optional (docs/heartbeat.md), and a bot that never writes one
// must start as cleanly as one that does. So it is ready once the same process
// has stayed online past its min_uptime, pm2's own measure of a start that
// did not crash, counted from the process's own start (/proc), so a process
// that was already up passes at once. Durations here are monotonic.

export type Readiness =
  | { readonly ok: true; readonly ms: number; readonly latencyMs: number | null; readonly note?: string }
  | { readonly ok: false; readonly ms: number; readonly reason: string };

export interface WaitOptions {
  readonly signal?: AbortSignal;
  /** Overrides the service's own startGrace. */
  readonly deadlineMs?: number;
  /** Only a process spawned after this pid changed counts (restart). */
  readonly notPid?: number;
  readonly pollMs?: number;
  /** pm2's restart count once the restart was issued: any count above it is a crash of the new process. */
  readonly crashedAbove?: number;
}

const NO_HEALTH_GRACE_MS = 30_000;
const CRASHED = 'the new process exited and pm2 started it again (it crashes on start)';

export const graceOf = (s: Service): number => (s.health.type === 'none' ? NO_HEALTH_GRACE_MS : s.health.startGraceMs);

type Look = { readonly latencyMs: number | null; readonly note?: string } | string;

function pm2Says(p: ProcessInfo | undefined, opts: WaitOptions): string | null {
  if (!p) return 'pm2 does not know it';
  if (p.status === 'errored') return 'pm2 gave up on it (errored: it crashed too often)';
  if (opts.crashedAbove !== undefined && p.restarts > opts.crashedAbove) return CRASHED;
  if (p.status !== 'online' || p.pid <= 0) return `pm2 status is ${p.status}`;
  if (opts.notPid !== undefined && p.pid === opts.notPid) return 'the old process is still running';
  return null;
}

/** Polls until `s` is healthy or its start grace runs out. Never throws for an unhealthy service. */
export async function waitHealthy(client: Pm2Client, s: Service, opts: WaitOptions = {}): Promise<Readiness> {
  const t0 = monoNow();
  const elapsed = () => Math.round(monoNow() - t0);
  const deadline = t0 + (opts.deadlineMs ?? graceOf(s));
  const prober = s.health.type === 'heartbeat' ? null : await proberFor(s);
  // The heartbeat gate: the pid online, and since when (its start by /proc, else when we first saw it).
  let up: { pid: number; since: number } | null = null;
  const look = async (): Promise<Look> => {
    const p = await client.get(s.name);
    const not = pm2Says(p, opts);
    if (not !== null || !p) {
      up = null;
      return not ?? 'pm2 does not know it';
    }
    if (s.health.type === 'heartbeat') {
      if (up?.pid !== p.pid) up = { pid: p.pid, since: processStartMono(p.pid) ?? monoNow() };
      const stayed = monoNow() - up.since;
      return stayed >= s.minUptimeMs ? { latencyMs: null, note: `stayed online for its min_uptime, ${Math.round(s.minUptimeMs / 100) / 10} s` } : `online for ${Math.round(stayed)} ms, waiting for min_uptime ${s.minUptimeMs} ms`;
    }
    if (!prober) return { latencyMs: null };
    const r = await prober.probe(opts.signal);
    return r.ok ? { latencyMs: r.latencyMs } : `${s.health.type} probe: ${r.reason}`;
  };
  let last = 'not checked yet';
  try {
    for (;;) {
      const r = await look();
      if (typeof r !== 'string') return { ok: true, ms: elapsed(), latencyMs: r.latencyMs, ...(r.note ? { note: r.note } : {}) };
      last = r;
      if (r.startsWith('pm2 gave up') || r === CRASHED || monoNow() >= deadline) break;
      await sleep(opts.pollMs ?? 25, opts.signal);
    }
  } finally {
    await prober?.close();
  }
  return { ok: false, ms: elapsed(), reason: last };
}
