import { fmtBytes, fmtDuration, table } from '../../util/format.js';
import type { SoakResult } from './run.js';
import { soakPassed, type SoakState } from './summary.js';

// Text for `botstack soak`: one progress line per sample, then the summary
// and, when it failed, what failed in words.

const secs = (ms: number) => `${Math.round(ms / 1000)}s`;

export function progressLine(state: SoakState, elapsedMs: number, durationMs: number): string {
  const restarts = state.services.filter((s) => s.restarts > 0).map((s) => `${s.name}×${s.restarts}`);
  const failing = state.services.filter((s) => s.health !== 'healthy' && s.health !== 'unknown').map((s) => `${s.name} ${s.health}`);
  const parts = [`soak ${secs(elapsedMs)}/${secs(durationMs)}`, `sample ${state.samples}`, `restarts: ${restarts.length ? restarts.join(', ') : 'none'}`, `now not healthy: ${failing.length ? failing.join(', ') : 'none'}`];
  if (state.sampleErrors > 0) parts.push(`${state.sampleErrors} sample error${state.sampleErrors === 1 ? '' : 's'}`);
  return parts.join('  ');
}

const mem = (min: number | null, max: number | null) => (min === null || max === null ? '-' : `${fmtBytes(min)}..${fmtBytes(max)}`);

export function failures(r: SoakResult): string[] {
  const out: string[] = [];
  if (r.cancelled) out.push(`the soak was cancelled after ${fmtDuration(r.elapsedMs)}; it proves nothing beyond that`);
  if (r.state.sampleErrors > 0) out.push(`${r.state.sampleErrors} sample${r.state.sampleErrors === 1 ? '' : 's'} could not be taken (last: ${r.state.lastSampleError})`);
  for (const s of r.state.services) {
    if (s.restarts > 0) out.push(`${s.name} restarted ${s.restarts} time${s.restarts === 1 ? '' : 's'}; see: botstack logs ${s.name} --errors`);
    if (s.failedProbes > 0) out.push(`${s.name} was not healthy in ${s.failedProbes} of ${r.state.samples} samples (last: ${s.lastError})`);
  }
  return out;
}

export function renderSoak(r: SoakResult, intervalMs: number): string {
  const rows = [['service', 'uptime', 'restarts', 'failed probes', 'memory min..max', 'now'], ...r.state.services.map((s) => [s.name, fmtDuration(s.uptimeMs), String(s.restarts), String(s.failedProbes), mem(s.memoryMinBytes, s.memoryMaxBytes), `${s.status}/${s.health}`])];
  const head = `soak: ${fmtDuration(r.elapsedMs)}, ${r.state.samples} samples every ${fmtDuration(intervalMs)}`;
  const verdict = soakPassed(r.state) && !r.cancelled ? ['PASS: no restarts, no failed probes'] : ['FAIL:', ...failures(r).map((f) => `  ${f}`)];
  return [head, table(rows), ...verdict].join('\n') + '\n';
}

export function soakJson(r: SoakResult, durationMs: number, intervalMs: number): object {
  return {
    ok: soakPassed(r.state) && !r.cancelled,
    cancelled: r.cancelled,
    durationMs,
    intervalMs,
    elapsedMs: r.elapsedMs,
    samples: r.state.samples,
    sampleErrors: r.state.sampleErrors,
    services: r.state.services.map((s) => ({ name: s.name, uptimeMs: s.uptimeMs, restarts: s.restarts, failedProbes: s.failedProbes, lastError: s.lastError, memoryMinBytes: s.memoryMinBytes, memoryMaxBytes: s.memoryMaxBytes, status: s.status, health: s.health })),
  };
}
