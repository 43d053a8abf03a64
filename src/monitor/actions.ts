import { isHeld } from '../stack/launch-held.js';
import { controlDir, readHolderState, roll } from '../stack/rolling.js';
import type { Service, Stack } from '../stack/types.js';
import { healByRoll, memAvailable } from './heal-roll.js';
import { treeRss } from './tree-memory.js';
import type { Clock } from './clock.js';
import { heal, stopLooping, type HealerPm2, type HealTarget } from './healer.js';
import type { Observation } from './health.js';
import type { RestartHistory } from './history.js';
import type { HealPolicy } from './policy.js';
import type { Action } from './settle.js';

// Carries out what the brain decided (settle.ts's actions) through pm2: a heal
// or a give-up. Each tells the restart history what exit to expect, feeds its
// start and end back into the brain as observations, and runs in the
// background, tracked, so the monitor's stop() can wait for it.

export interface ActionContext {
  readonly stack: Stack;
  readonly pm2: HealerPm2;
  readonly clock: Clock;
  readonly policy: HealPolicy;
  readonly isAlive: (pid: number) => boolean;
  readonly log: (line: string) => void;
  readonly history: RestartHistory;
  /** The pm_id and pid the monitor knows for `name`. */
  known(name: string): { pmId: number; pid: number };
  observe(name: string, obs: Observation): void;
  /** A heal of `name` has finished: re-read pm2 and probe it now. */
  healed(name: string): void;
  track(work: Promise<unknown>): void;
}

/** How long after the expected stop a stop/restart still explains an exit. */
const EXPECT_SLACK_MS = 30_000;

export function carryOut(a: Action, c: ActionContext): void {
  const svc = c.stack.services.find((s) => s.name === a.name);
  const target: HealTarget = { name: a.name, ...c.known(a.name), stopTimeoutMs: svc?.stopTimeoutMs ?? 10_000 };
  const now = c.clock.now();
  const deps = { pm2: c.pm2, clock: c.clock, isAlive: c.isAlive };
  if (a.type === 'give-up') {
    c.log(`monitor: giving up on ${a.name}: ${a.reason}`);
    c.observe(a.name, { kind: 'gave-up', at: now, reason: a.reason, stopped: a.stop });
    if (!a.stop) return;
    c.history.expect(a.name, 'stop', now + target.stopTimeoutMs + EXPECT_SLACK_MS);
    c.track(stopLooping(deps, target).then((err) => err && c.log(`monitor: could not stop ${a.name}: ${err}`)));
    return;
  }
  const forceAfter = a.force && svc ? c.policy.forceAfterMs(svc.kind) : null;
  c.log(`monitor: healing ${a.name}: ${a.reason}${forceAfter !== null ? `; SIGKILL after ${forceAfter} ms if it will not stop` : ''}`);
  c.observe(a.name, { kind: 'heal-started', at: now });
  const viaPm2 = async () => {
    c.history.expect(a.name, a.cause === 'memory' ? 'memory' : 'heal', c.clock.now() + target.stopTimeoutMs + EXPECT_SLACK_MS);
    const out = await heal(deps, target, forceAfter);
    if (out.forced) c.log(`monitor: ${a.name} ignored SIGINT; forced with SIGKILL through pm2`);
    return out.error;
  };
  c.track(
    (async () => {
      const rolled = svc && isHeld(svc) ? await healRolling(c, svc, a.force) : false;
      const error = rolled ? undefined : await viaPm2();
      c.healed(a.name);
      c.observe(a.name, { kind: 'heal-finished', at: c.clock.now(), ...(error !== undefined ? { error } : {}) });
    })(),
  );
}

/**
 * A held uvicorn is healed by a rolling restart (heal-roll.ts): the new process
 * on the same socket first, then the old one stopped (SIGKILLed when hung), so
 * what queued during the hang is answered. false: fall back to pm2's restart.
 */
async function healRolling(c: ActionContext, s: Service, hung: boolean): Promise<boolean> {
  const dir = controlDir(c.stack.logDir, s.name);
  const grace = s.health.type === 'none' ? 30_000 : s.health.startGraceMs;
  const childRss = () => {
    const child = readHolderState(dir)?.child ?? 0;
    return child > 0 ? treeRss(child) : null;
  };
  const r = await healByRoll({ roll: (d, o) => roll(d, 'heal', o), memAvailable: () => memAvailable(), childRss }, { dir, hung, timeoutMs: grace + 10_000 + s.stopTimeoutMs + 15_000 });
  if (r.rolled) c.log(`monitor: ${s.name} healed by a rolling restart: pid ${r.pid} serves on the same socket, the old one ${hung ? 'SIGKILLed' : 'stopped'}`);
  else c.log(`monitor: ${s.name}: ${r.why}; restarting it through pm2`);
  return r.rolled;
}
