import type { Kind } from '../stack/schema.js';
import type { Timing } from '../stack/types.js';
import type { ServiceHealth } from './health.js';
import { healBackoff, type HealPolicy } from './policy.js';

// The heal decision, over the whole stack at once: who is at fault, who is only
// a victim of a dependency, and what to do about it. Pure.

export interface ServiceSpec {
  readonly name: string;
  readonly kind: Kind;
  readonly dependsOn: readonly string[];
  /** null: no probe; pm2's status alone decides. */
  readonly timing: Timing | null;
}

export type Action =
  | { readonly type: 'heal'; readonly name: string; readonly cause: 'probe' | 'memory'; readonly force: boolean; readonly reason: string }
  | { readonly type: 'give-up'; readonly name: string; readonly reason: string; readonly stop: boolean };

export interface SettleInput {
  readonly states: ReadonlyMap<string, ServiceHealth>;
  readonly specs: ReadonlyMap<string, ServiceSpec>;
  readonly now: number;
  readonly policy: HealPolicy;
  readonly paused: boolean;
  /** Unplanned exits of `name` (pm2 restarted it, nobody asked) since `since`. */
  readonly crashes: (name: string, since: number) => number;
}

export interface Settled {
  readonly states: Map<string, ServiceHealth>;
  readonly actions: Action[];
}

const FAILING = new Set(['failing', 'unhealthy', 'blocked']);

/**
 * The deepest unhealthy dependency of `name`, or null. Deepest, because when
 * mongod is down both api and web fail, and only mongod is worth healing.
 */
export function rootCause(name: string, states: ReadonlyMap<string, ServiceHealth>, specs: ReadonlyMap<string, ServiceSpec>, seen = new Set<string>()): string | null {
  seen.add(name);
  for (const dep of specs.get(name)?.dependsOn ?? []) {
    if (seen.has(dep)) continue;
    const st = states.get(dep);
    if (!st || st.state === 'healthy') continue;
    return rootCause(dep, states, specs, seen) ?? dep;
  }
  return null;
}

export function settle(input: SettleInput): Settled {
  const { now, policy } = input;
  const pruned = new Map<string, ServiceHealth>();
  // A state none of whose heals aged out stays the same object (the monitor reads an unchanged object as no news).
  for (const [name, s] of input.states) pruned.set(name, s.heals.every((t) => now - t < policy.healWindowMs) ? s : { ...s, heals: s.heals.filter((t) => now - t < policy.healWindowMs) });
  // Attribution reads the states as they were, so the order of services never matters.
  const states = new Map<string, ServiceHealth>();
  const causes = new Map<string, string | null>();
  for (const [name, s] of pruned) {
    const cause = rootCause(name, pruned, input.specs);
    causes.set(name, cause);
    states.set(name, attribute(s, cause, now));
  }
  const actions: Action[] = [];
  if (!input.paused) {
    for (const [name, s] of states) {
      const action = decide(s, causes.get(name) ?? null, input);
      if (action) actions.push(action);
    }
  }
  return { states, actions };
}

function attribute(s: ServiceHealth, cause: string | null, now: number): ServiceHealth {
  if (cause !== null && FAILING.has(s.state)) {
    return s.state === 'blocked' && s.blockedBy === cause ? s : { ...s, state: 'blocked', since: now, blockedBy: cause };
  }
  // The dependency is back: this service's own failures count afresh from here.
  if (s.state === 'blocked') return { ...s, state: 'failing', since: now, blockedBy: null, failures: 0 };
  return s;
}

function decide(s: ServiceHealth, cause: string | null, input: SettleInput): Action | null {
  const { policy, now } = input;
  const spec = input.specs.get(s.name);
  if (!spec || s.state === 'healing' || s.state === 'given-up' || s.state === 'stopped' || s.state === 'unknown') return null;
  if (cause === null) {
    const crashes = input.crashes(s.name, Math.max(now - policy.crashWindowMs, s.crashesFrom));
    if (crashes >= policy.crashLoopExits) {
      const mins = Math.round(policy.crashWindowMs / 60_000);
      const reason = `crash loop: exited ${crashes} times in ${mins} min; stopped it. Read \`pm2 logs ${s.name}\`, fix it, then \`pm2 restart ${s.name}\``;
      return { type: 'give-up', name: s.name, reason, stop: true };
    }
  }
  const wantsMemory = s.overMemory;
  const wantsProbe = s.state === 'unhealthy';
  if (!wantsMemory && !wantsProbe) return null;
  if (s.heals.length >= policy.maxHeals) {
    const mins = Math.round(policy.healWindowMs / 60_000);
    const reason = `healed ${s.heals.length} times in ${mins} min and still ${wantsMemory ? 'over its memory limit' : 'failing'}${s.lastError ? ` (${s.lastError})` : ''}; read \`pm2 logs ${s.name}\`, fix it, then \`pm2 restart ${s.name}\``;
    return { type: 'give-up', name: s.name, reason, stop: false };
  }
  const last = s.heals[s.heals.length - 1];
  if (last !== undefined && now < last + healBackoff(policy, s.heals.length)) return null;
  if (wantsMemory) {
    const mib = Math.round((s.memoryBytes ?? 0) / 2 ** 20);
    return { type: 'heal', name: s.name, cause: 'memory', force: false, reason: `process tree uses ${mib} MiB, over its limit` };
  }
  const reason = `${s.failures} failed probes in a row (${s.lastError ?? 'no detail'})`;
  return { type: 'heal', name: s.name, cause: 'probe', force: s.unanswered, reason };
}
