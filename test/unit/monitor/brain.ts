import type { Timing } from '../../../src/stack/types.js';
import { initialHealth, observe, type Observation, type ServiceHealth } from '../../../src/monitor/health.js';
import { DEFAULT_POLICY, type HealPolicy } from '../../../src/monitor/policy.js';
import { settle, type Action, type ServiceSpec } from '../../../src/monitor/settle.js';

// A tiny driver for the pure brain: a fake clock, the bot stack's shape, and
// one step = one observation followed by a settle, as the runtime does it.

export const FAST: Timing = { intervalMs: 1000, timeoutMs: 1000, failureThreshold: 3, startGraceMs: 30_000 };

export const SPECS: ReadonlyMap<string, ServiceSpec> = new Map<string, ServiceSpec>([
  ['mongod', { name: 'mongod', kind: 'mongod', dependsOn: [], timing: { ...FAST, intervalMs: 2000 } }],
  ['api', { name: 'api', kind: 'uvicorn', dependsOn: ['mongod'], timing: FAST }],
  ['web', { name: 'web', kind: 'uvicorn', dependsOn: ['api'], timing: FAST }],
  ['bot', { name: 'bot', kind: 'python', dependsOn: ['api'], timing: FAST }],
]);

type Step = Observation extends infer O ? (O extends Observation ? Omit<O, 'at'> & { at?: number } : never) : never;

export class Brain {
  t = 1_000_000;
  paused = false;
  crashes = new Map<string, number[]>();
  states = new Map<string, ServiceHealth>();
  actions: Action[] = [];
  constructor(readonly policy: HealPolicy = DEFAULT_POLICY, readonly specs = SPECS) {
    for (const name of specs.keys()) this.states.set(name, initialHealth(name, this.t));
  }
  get(name: string): ServiceHealth {
    return this.states.get(name)!;
  }
  advance(ms: number): this {
    this.t += ms;
    return this;
  }
  step(name: string, o: Step): Action[] {
    const obs = { ...o, at: o.at ?? this.t } as Observation;
    this.states.set(name, observe(this.get(name), obs, this.specs.get(name)?.timing ?? null));
    return this.settle();
  }
  settle(): Action[] {
    const r = settle({
      states: this.states, specs: this.specs, now: this.t, policy: this.policy, paused: this.paused,
      crashes: (n, since) => (this.crashes.get(n) ?? []).filter((t) => t >= since).length,
    });
    this.states = r.states;
    this.actions = r.actions;
    return r.actions;
  }
  online(name: string, pid: number, startedAt = this.t): Action[] {
    return this.step(name, { kind: 'process', status: 'online', pid, startedAt });
  }
  ok(name: string, latencyMs = 5): Action[] {
    return this.step(name, { kind: 'probe', ok: true, latencyMs, timedOut: false });
  }
  fail(name: string, opts: { timedOut?: boolean; reason?: string } = {}): Action[] {
    return this.step(name, { kind: 'probe', ok: false, latencyMs: opts.timedOut ? 1000 : 3, timedOut: opts.timedOut ?? false, reason: opts.reason ?? 'HTTP 500' });
  }
  /** Every service online long ago and answering. */
  allHealthy(): this {
    let pid = 100;
    for (const name of this.specs.keys()) this.online(name, pid++, this.t - 3_600_000);
    for (const name of this.specs.keys()) this.ok(name);
    return this;
  }
}
