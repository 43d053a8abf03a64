import type { Stack } from '../stack/types.js';
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
  c.history.expect(a.name, a.cause === 'memory' ? 'memory' : 'heal', now + target.stopTimeoutMs + EXPECT_SLACK_MS);
  c.observe(a.name, { kind: 'heal-started', at: now });
  c.track(
    heal(deps, target, forceAfter).then((out) => {
      if (out.forced) c.log(`monitor: ${a.name} ignored SIGINT; forced with SIGKILL through pm2`);
      c.healed(a.name);
      c.observe(a.name, { kind: 'heal-finished', at: c.clock.now(), ...(out.error !== undefined ? { error: out.error } : {}) });
    }),
  );
}
