import type { Clock } from './clock.js';

// A heal restarts one service through pm2's API, so pm2's counters, logs and
// treekill stay true. How it escalates, and why:
//
// 1. pm2 restart: pm2 sends SIGINT to the whole process tree (its treekill),
//    waits up to the app's kill_timeout (15 s for uvicorn, 60 s for mongod),
//    SIGKILLs what is left, and spawns it again. A responsive service (HTTP
//    500, over its memory limit) shuts down cleanly inside that.
// 2. If the service's last probe got no answer at all (timed out: a blocked
//    event loop, a SIGSTOPped process), its SIGINT handler will not run either,
//    and waiting out kill_timeout wastes 15-60 s on a process already known to
//    be unresponsive. So after `forceAfterMs` (500 ms for apps, 10 s for a
//    database), if the old pid is still alive, the heal sends SIGKILL to it
//    through pm2 (sendSignalToProcessId: pm2's by-name signal skips an app
//    that is `stopping`). pm2's restart sees it gone and spawns at once; any
//    other process of the tree already had SIGINT and still has kill_timeout.
//
// Budget for a hung uvicorn at default timings (1 s interval, 1 s timeout,
// 3 failures): 3-4 s to detect, 0.5 s grace, ~1 s to spawn and import, and
// fast starting probes: about 5 s from hang to healthy.

export interface HealerPm2 {
  list(): Promise<readonly { readonly name: string; readonly pid: number; readonly pmId: number }[]>;
  restart(name: string, timeoutMs?: number): Promise<unknown>;
  stop(name: string, timeoutMs?: number): Promise<unknown>;
  signalId(signal: NodeJS.Signals, pmId: number): Promise<unknown>;
}

export interface HealTarget {
  readonly name: string;
  readonly pmId: number;
  /** The pid being replaced; 0 if unknown. */
  readonly pid: number;
  readonly stopTimeoutMs: number;
}

export interface HealOutcome {
  readonly forced: boolean;
  readonly error?: string;
}

export interface HealerDeps {
  readonly pm2: HealerPm2;
  readonly clock: Clock;
  /** Whether `pid` still exists (signal 0: a question, not a kill). */
  readonly isAlive: (pid: number) => boolean;
}

/** Slack over the service's own stop time for pm2 to stop and spawn it. */
const RPC_SLACK_MS = 20_000;

/** The pid and pm_id pm2 has now: the monitor's view may be a list behind. */
async function current(deps: HealerDeps, t: HealTarget): Promise<HealTarget> {
  const p = (await deps.pm2.list().catch(() => [])).find((x) => x.name === t.name);
  return p && p.pid > 0 ? { ...t, pid: p.pid, pmId: p.pmId } : t;
}

export async function heal(deps: HealerDeps, target: HealTarget, forceAfterMs: number | null): Promise<HealOutcome> {
  const t = forceAfterMs === null ? target : await current(deps, target);
  const restarting = deps.pm2.restart(t.name, t.stopTimeoutMs + RPC_SLACK_MS).then(
    () => undefined,
    (err: unknown) => errText(err),
  );
  let forced = false;
  if (forceAfterMs !== null && t.pid > 0) {
    const ctl = new AbortController();
    const done = await Promise.race([restarting.then(() => true), deps.clock.sleep(forceAfterMs, ctl.signal).then(() => false)]);
    ctl.abort();
    if (!done && deps.isAlive(t.pid)) {
      forced = true;
      await deps.pm2.signalId('SIGKILL', t.pmId).catch(() => undefined);
    }
  }
  const error = await restarting;
  return error === undefined ? { forced } : { forced, error };
}

/** Stops a crash-looping service: what pm2's max_restarts would have done, had it fired. */
export async function stopLooping(deps: HealerDeps, t: HealTarget): Promise<string | undefined> {
  return deps.pm2.stop(t.name, t.stopTimeoutMs + RPC_SLACK_MS).then(
    () => undefined,
    (err: unknown) => errText(err),
  );
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
