import type { Pm2Client } from '../../pm2/client.js';
import type { Service, Stack } from '../../stack/types.js';
import { fmtSeconds } from '../../util/format.js';
import { runRestart } from '../restart/run.js';
import { isRunning } from '../status/health.js';
import type { Steps } from './steps.js';

// Restarts one service at a time, in the plan's dependency order, each gated
// on its health before the next; the first failure stops the line.

export interface RestartFailure {
  readonly name: string;
  readonly reason: string;
  readonly logs: readonly string[];
  /** Its new process failed before serving: the old one kept serving the old code, so the way back need not restart it. */
  readonly oldServing?: boolean;
}

export interface RestartOutcome {
  readonly restarted: readonly string[];
  readonly skipped: readonly string[];
  readonly failed: RestartFailure | null;
}

export interface RestartOptions {
  readonly steps: Steps;
  readonly step: 'restart' | 'rollback-restart';
  readonly deadlineMs: (s: Service) => number;
  readonly say: (text: string) => void;
  readonly signal?: AbortSignal;
}

export async function restartInOrder(client: Pm2Client, stack: Stack, names: readonly string[], o: RestartOptions): Promise<RestartOutcome> {
  const restarted: string[] = [];
  const skipped: string[] = [];
  const list = await client.list();
  for (const name of names) {
    const s = stack.services.find((x) => x.name === name);
    if (!s) continue;
    // A service the operator stopped stays stopped: it runs the new code when they start it.
    if (!isRunning(list.find((p) => p.name === name))) {
      o.say(`${name}: not running under pm2; not restarted (it starts on the new code)`);
      skipped.push(name);
      continue;
    }
    const cause = o.step === 'restart' ? 'deploy' : 'rollback';
    const r = await o.steps.time(o.step, name, () => runRestart(client, stack, s, o.signal, o.deadlineMs(s), true, cause), (x) => x.readiness.ok);
    const pids = `${r.rolled ? 'uvicorn pid' : 'pid'} ${r.oldPid > 0 ? r.oldPid : '-'} -> ${r.newPid > 0 ? r.newPid : '-'}${r.rolled ? ', rolling' : ''}`;
    if (r.readiness.ok) {
      o.say(`${name}: restarted, healthy in ${fmtSeconds(r.readiness.ms)} (${pids})`);
      restarted.push(name);
      continue;
    }
    if (r.oldServing) o.say(`${name}: NOT restarted after ${fmtSeconds(r.readiness.ms)}: ${r.readiness.reason}`);
    else o.say(`${name}: restarted but NOT healthy after ${fmtSeconds(r.readiness.ms)}: ${r.readiness.reason} (${pids})`);
    return { restarted, skipped, failed: { name, reason: r.readiness.reason, logs: r.logs, ...(r.oldServing ? { oldServing: true } : {}) } };
  }
  return { restarted, skipped, failed: null };
}
