import type { Pm2Client } from '../../pm2/client.js';
import { isHeld } from '../../stack/launch-held.js';
import { controlDir, readHolderState, roll, type RollCause } from '../../stack/rolling.js';
import type { Service, Stack } from '../../stack/types.js';
import { monoNow } from '../../util/mono.js';
import { lastLines } from '../logs/lines.js';
import { waitHealthy, type Readiness } from '../shared/readiness.js';

// A restart of a held uvicorn service (stack/launch-held.ts) without closing
// its port: the holder starts the new uvicorn beside the old on the same
// socket, gates it on the health path in-process, and only then stops the old
// one. If the new one fails, it is stopped and the old one never stopped
// serving. pm2's process (the holder) keeps its pid: the service's own pids
// are the holder's children, reported here as old -> new.

export interface RollRestart {
  readonly readiness: Readiness;
  readonly oldPid: number;
  readonly newPid: number;
  readonly logs: readonly string[];
  /** The old process is still the one serving (the new one failed before it served). */
  readonly oldServing: boolean;
}

/** Slack over the new process's start and the old one's stop. */
const SLACK_MS = 15_000;

/**
 * null when `s` is not held, or its holder does not answer (started by an older
 * botstack, or down): the caller restarts through pm2 as before.
 */
export async function rollRestart(client: Pm2Client, stack: Stack, s: Service, cause: RollCause, opts: { deadlineMs?: number; signal?: AbortSignal } = {}): Promise<RollRestart | null> {
  if (!isHeld(s)) return null;
  const dir = controlDir(stack.logDir, s.name);
  const before = readHolderState(dir);
  const t0 = monoNow();
  const deadlineMs = opts.deadlineMs ?? s.stopTimeoutMs + (s.health.type === 'none' ? 30_000 : s.health.startGraceMs);
  // The caller's deadline (a deploy's --health-timeout) is how long the new process may take; with no deadline, the holder's own.
  const r = await roll(dir, cause, { timeoutMs: deadlineMs + s.stopTimeoutMs + SLACK_MS, ...(opts.deadlineMs !== undefined ? { readyWithinMs: opts.deadlineMs } : {}) });
  if (!r.ok && r.unreachable) return null;
  const oldPid = before?.child ?? 0;
  if (!r.ok) {
    const readiness: Readiness = { ok: false, ms: Math.round(monoNow() - t0), reason: `the new process served no request (${r.reason}); the old one (pid ${oldPid || '-'}) keeps serving` };
    return { readiness, oldPid, newPid: 0, logs: tail(s), oldServing: true };
  }
  // The gate asked the app in-process; the service's own probe (status, body, JSON) confirms over the network.
  const probe = await waitHealthy(client, s, { ...(opts.signal ? { signal: opts.signal } : {}), deadlineMs: Math.max(5_000, deadlineMs - (monoNow() - t0)) });
  const readiness: Readiness = probe.ok ? { ...probe, ms: Math.round(monoNow() - t0) } : probe;
  return { readiness, oldPid, newPid: r.pid, logs: probe.ok ? [] : tail(s), oldServing: false };
}

const tail = (s: Service): string[] => [...lastLines(s.errFile, 15).map((l) => `  ${s.name}.err | ${l}`), ...lastLines(s.outFile, 15).map((l) => `  ${s.name}.out | ${l}`)];
