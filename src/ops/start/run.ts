import type { Pm2Client } from '../../pm2/client.js';
import { compileService } from '../../stack/compile.js';
import { startLevels, withDependencies } from '../../stack/order.js';
import type { Service, Stack } from '../../stack/types.js';
import { failureExcerpt, failureRedactor } from '../shared/excerpt.js';
import { graceOf, waitHealthy, type Readiness } from '../shared/readiness.js';
import { isRunning } from '../status/health.js';

// Start in dependsOn order: one level at a time, the services of a level in
// parallel, the next level only once every service of this one is healthy.

export type StartEvent =
  | { readonly type: 'level'; readonly services: readonly string[]; readonly at: number }
  | { readonly type: 'already-up'; readonly service: string; readonly at: number }
  | { readonly type: 'starting'; readonly service: string; readonly at: number }
  | { readonly type: 'healthy'; readonly service: string; readonly at: number; readonly ms: number; readonly latencyMs: number | null; readonly wasUp: boolean; readonly note?: string }
  | { readonly type: 'failed'; readonly service: string; readonly at: number; readonly ms: number; readonly reason: string; readonly logs: readonly string[] };

export interface StartOptions {
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: StartEvent) => void;
  /** Log lines shown per file for a service that never became healthy. */
  readonly logLines?: number;
}

export interface StartResult {
  readonly ok: boolean;
  readonly started: readonly string[];
  readonly alreadyUp: readonly string[];
  readonly failed: readonly string[];
  /** Services never reached because an earlier level failed. */
  readonly skipped: readonly string[];
}

/** What `start [names]` brings up: the names, their dependencies, and the monitor. */
export function startSelection(stack: Stack, names: readonly string[]): Service[] {
  if (names.length === 0) return [...stack.services];
  const monitors = stack.services.filter((s) => s.kind === 'monitor').map((s) => s.name);
  return withDependencies(stack.services, [...names, ...monitors]);
}

async function startLevel(client: Pm2Client, stack: Stack, level: readonly Service[], emit: (e: StartEvent) => void, opts: StartOptions): Promise<{ up: string[]; started: string[]; failed: string[] }> {
  const list = await client.list();
  const wasUp = new Set(level.filter((s) => isRunning(list.find((p) => p.name === s.name))).map((s) => s.name));
  const toStart = level.filter((s) => !wasUp.has(s.name));
  for (const s of level) emit({ type: wasUp.has(s.name) ? 'already-up' : 'starting', service: s.name, at: Date.now() });
  if (toStart.length > 0) await client.start(toStart.map((s) => compileService(stack, s)), 30_000);
  // Each service's line is printed as it becomes ready (or fails), not when its whole level is done.
  const failed: string[] = [];
  await Promise.all(
    level.map(async (s) => {
      const r: Readiness = await waitHealthy(client, s, { ...(opts.signal ? { signal: opts.signal } : {}), deadlineMs: graceOf(s) });
      // `at` is the wall clock, for display and for comparing with pm2's spawn times; `ms` is monotonic.
      const at = Date.now();
      if (r.ok) emit({ type: 'healthy', service: s.name, at, ms: r.ms, latencyMs: r.latencyMs, wasUp: wasUp.has(s.name), ...(r.note ? { note: r.note } : {}) });
      else {
        failed.push(s.name);
        const redact = failureRedactor(stack);
        emit({ type: 'failed', service: s.name, at, ms: r.ms, reason: redact(r.reason), logs: failureExcerpt(stack, s, opts.logLines ?? 15, redact) });
      }
    }),
  );
  return { up: [...wasUp], started: toStart.map((s) => s.name), failed };
}

/** Starts `services` (from startSelection) level by level; stops at the first level with a failure. */
export async function runStart(client: Pm2Client, stack: Stack, services: readonly Service[], opts: StartOptions = {}): Promise<StartResult> {
  const emit = opts.onEvent ?? (() => undefined);
  const levels = startLevels(services);
  const res = { started: [] as string[], alreadyUp: [] as string[], failed: [] as string[], skipped: [] as string[] };
  for (const [i, level] of levels.entries()) {
    emit({ type: 'level', services: level.map((s) => s.name), at: Date.now() });
    const r = await startLevel(client, stack, level, emit, opts);
    res.started.push(...r.started);
    res.alreadyUp.push(...r.up);
    if (r.failed.length > 0) {
      res.failed.push(...r.failed);
      res.skipped.push(...levels.slice(i + 1).flat().map((s) => s.name));
      break;
    }
  }
  return { ok: res.failed.length === 0, ...res };
}
