import type { Pm2Client } from '../../pm2/client.js';
import { compileService } from '../../stack/compile.js';
import type { Service, Stack } from '../../stack/types.js';
import { failureExcerpt, failureRedactor } from '../shared/excerpt.js';
import { probeOnce } from '../shared/probe-once.js';
import { waitHealthy, type Readiness } from '../shared/readiness.js';
import { isRunning } from '../status/health.js';
import type { RollCause } from '../../stack/rolling.js';
import { rollRestart } from './roll.js';

// Restart one service through pm2 and wait until it is healthy again. A service
// whose dependency is down would only crash-loop, so that is refused unless forced.

/** Why each direct dependency of `s` is not healthy; empty when all are. */
export async function downDependencies(client: Pm2Client, stack: Stack, s: Service): Promise<string[]> {
  const list = await client.list();
  const reasons = await Promise.all(
    s.dependsOn.map(async (name) => {
      const dep = stack.services.find((d) => d.name === name);
      const p = list.find((x) => x.name === name);
      if (!dep || !p) return `${name} is not running (pm2 does not know it)`;
      if (!isRunning(p)) return `${name} is ${p.status}`;
      const r = await probeOnce(dep);
      return r && !r.ok ? `${name} is not healthy (${dep.health.type} probe: ${r.reason})` : null;
    }),
  );
  return reasons.filter((r): r is string => r !== null);
}

export interface RestartResult {
  readonly readiness: Readiness;
  readonly oldPid: number;
  readonly newPid: number;
  readonly logs: readonly string[];
  /** A rolling restart under the socket holder (the pids are uvicorn's, pm2's holder kept its own). */
  readonly rolled?: true;
  /** The new process failed before it served: the old one is still serving, on the code it had. */
  readonly oldServing?: true;
}

/**
 * `failOnCrash`: stop waiting as soon as the new process exits (pm2 counts a restart), instead of at the deadline.
 * A held uvicorn service that is running rolls instead (roll.ts): the new process beside the old, health-gated,
 * and the port never closes; pm2's restart is the fallback when its holder does not answer.
 */
export async function runRestart(client: Pm2Client, stack: Stack, s: Service, signal?: AbortSignal, deadlineMs?: number, failOnCrash = false, cause: RollCause = 'restart'): Promise<RestartResult> {
  const before = await client.get(s.name);
  const oldPid = before && isRunning(before) ? before.pid : 0;
  if (oldPid > 0) {
    const r = await rollRestart(client, stack, s, cause, { ...(signal ? { signal } : {}), ...(deadlineMs !== undefined ? { deadlineMs } : {}) });
    if (r) return { readiness: r.readiness, oldPid: r.oldPid, newPid: r.newPid, logs: r.logs, rolled: true, ...(r.oldServing ? { oldServing: true as const } : {}) };
  }
  // pm2 cannot restart what it never saw; then this is a start.
  if (before) await client.restart(s.name, s.stopTimeoutMs + 30_000);
  else await client.start([compileService(stack, s)], 30_000);
  const crashedAbove = failOnCrash ? (await client.get(s.name))?.restarts : undefined;
  const readiness = await waitHealthy(client, s, { ...(signal ? { signal } : {}), ...(oldPid > 0 ? { notPid: oldPid } : {}), ...(deadlineMs !== undefined ? { deadlineMs } : {}), ...(crashedAbove !== undefined ? { crashedAbove } : {}) });
  const newPid = (await client.get(s.name))?.pid ?? 0;
  if (readiness.ok) return { readiness, oldPid, newPid, logs: [] };
  // The reason and the lines quote the service; redacted like every text botstack shows.
  const redact = failureRedactor(stack);
  return { readiness: { ...readiness, reason: redact(readiness.reason) }, oldPid, newPid, logs: failureExcerpt(stack, s, 15, redact) };
}
