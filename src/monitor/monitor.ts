import { carryOut, type ActionContext } from './actions.js';
import type { MonitorDeps, SettledObserver } from './deps.js';
import { initialHealth, observe, type Observation, type ServiceHealth } from './health.js';
import { RestartHistory } from './history.js';
import { HistorySync } from './history-store.js';
import { RollFeed } from './roll-feed.js';
import { Holds, holdActions } from './holds.js';
import { Inflight } from './inflight.js';
import { MemoryWatch } from './memory-watch.js';
import { changeLines, probeDelayMs, probeObservation, specsOf } from './observations.js';
import { Pm2Feed } from './pm2-feed.js';
import { buildReport } from './report-build.js';
import type { HealthReport } from './report.js';
import { runProbe, type ProbeRun } from './run-probe.js';
import { Scheduler, type Job } from './scheduler.js';
import { settle, type ServiceSpec } from './settle.js';
import { Surface } from './surface.js';

// The runtime around the pure brain (health.ts, settle.ts): the loop that
// schedules probes, feeds what they and pm2 say in, settles the stack, and
// carries the brain's actions out through pm2 (actions.ts). What pm2 says
// comes in through pm2-feed.ts; holds, memory and history live in their own.

export type { MonitorDeps, MonitorPm2, SettledObserver } from './deps.js';

export class Monitor {
  private states = new Map<string, ServiceHealth>();
  private readonly specs: ReadonlyMap<string, ServiceSpec>;
  readonly history = new RestartHistory();
  private readonly scheduler: Scheduler;
  private readonly surface: Surface;
  private readonly inflight: Inflight;
  private readonly feed: Pm2Feed;
  private paused = false;
  private readonly memory: MemoryWatch;
  private dirty = true;
  /** Something besides a healthy service's latency changed since the last publish. */
  private news = true;
  /** Observations recorded on the steady-state fast path since the last settle. */
  private unsettled = false;
  private readonly saved: HistorySync;
  private readonly actions: ActionContext;
  private readonly settledObservers = new Set<SettledObserver>();
  private readonly holds: Holds;
  /** Rolling restarts, which pm2's bus never sees, into the history. */
  private readonly rolls: RollFeed;

  constructor(private readonly d: MonitorDeps) {
    const watched = d.stack.services.filter((s) => s.kind !== 'monitor');
    this.specs = specsOf(watched);
    for (const name of this.specs.keys()) this.states.set(name, initialHealth(name, d.clock.now()));
    this.memory = new MemoryWatch(new Map(watched.map((s) => [s.name, s.memoryBytes])), d.treeRss);
    this.scheduler = new Scheduler(d.clock, (job, err) => d.log(`monitor: ${job} tick failed: ${String(err)}`));
    this.surface = new Surface(d.sink, [...this.specs.keys()]);
    this.holds = new Holds(() => d.clock.now(), d.isAlive);
    this.inflight = new Inflight(d.log);
    this.saved = new HistorySync(this.history, d.store);
    this.rolls = new RollFeed(d.stack, this.history);
    this.feed = new Pm2Feed({ ...d, history: this.history }, this.specs, { observe: (name, obs) => this.apply({ name, obs }), settle: () => this.apply(null), reread: () => this.scheduler.kick('<pm2 list>') });
    this.actions = {
      ...d,
      history: this.history,
      known: (name) => ({ pmId: this.feed.pmId(name), pid: this.states.get(name)?.pid ?? 0 }),
      observe: (name, obs) => this.apply({ name, obs }),
      healed: (name) => {
        this.feed.healed(name);
        this.scheduler.kick('<pm2 list>');
        this.scheduler.kick(name);
      },
      track: (work) => this.inflight.track(work),
    };
  }

  /** Rebuilds the view from pm2 (restarting no one), then starts probing. */
  async start(): Promise<void> {
    this.surface.registerActions({
      health: () => this.report(),
      probe: (name) => this.probeNow(name),
      pause: () => this.setPaused(true),
      resume: () => this.setPaused(false),
      ...holdActions(this.holds, [...this.specs.keys()], this.d.log, (name) => this.scheduler.kick(name)),
    });
    this.saved.restore(this.d.clock.now(), this.d.log);
    await this.feed.reconcile();
    await this.feed.subscribe();
    this.scheduler.start(this.jobs());
  }

  async stop(): Promise<void> {
    this.feed.close();
    await this.scheduler.stop();
    this.saved.save();
    await this.inflight.drain(this.d.clock, 3000);
  }

  /** `fn` runs after every settle (alerts derive their events there); it must be cheap and never throw. Returns its remover. */
  onSettled(fn: SettledObserver): () => void {
    this.settledObservers.add(fn);
    return () => this.settledObservers.delete(fn);
  }

  report(): HealthReport {
    const wall = this.d.clock.wall?.bind(this.d.clock);
    return buildReport({ stack: this.d.stack, states: this.states, history: this.history, paused: this.paused, now: this.d.clock.now(), ...(wall ? { wall } : {}), ...(this.d.redact ? { redact: this.d.redact } : {}) });
  }

  state(name: string): ServiceHealth | undefined {
    return this.states.get(name);
  }

  setPaused(paused: boolean): void {
    this.d.log(`monitor: healing ${paused ? 'paused' : 'resumed'}`);
    this.paused = paused;
    this.apply(null);
  }

  async probeNow(name: string): Promise<unknown> {
    const probe = this.d.probes.get(name);
    const spec = this.specs.get(name);
    if (!probe || !spec?.timing) return { service: name, ok: false, error: `no probe for "${name}"; services with probes: ${[...this.d.probes.keys()].join(', ')}` };
    const run = await runProbe(probe, spec.timing.timeoutMs, this.d.clock, new AbortController().signal);
    this.observeProbe(name, run);
    return { service: name, ...run.result, timedOut: run.timedOut, state: this.states.get(name)?.state };
  }

  /** A probe loop per probed service, pm2's list re-read, and the once-a-second publish. */
  private jobs(): Job[] {
    const probed = [...this.specs.values()].filter((spec) => spec.timing !== null);
    return [
      ...probed.map((spec) => ({ name: spec.name, delayMs: () => probeDelayMs(spec, this.states.get(spec.name)?.state, this.d.policy.startingIntervalMs), tick: (signal: AbortSignal) => this.tick(spec, signal) })),
      { name: '<pm2 list>', delayMs: () => this.d.reconcileMs ?? 15_000, tick: () => this.feed.reconcile().then(() => void this.rolls.poll(this.d.clock.now())) },
      { name: '<metrics>', delayMs: () => 1000, tick: async () => this.publish() },
    ];
  }

  private async tick(spec: ServiceSpec, signal: AbortSignal): Promise<void> {
    const s = this.states.get(spec.name);
    const timing = spec.timing;
    if (!s || !timing) return;
    this.checkMemory(spec.name, s);
    // A held service is the deploy's: its failures while it restarts are not evidence.
    if (s.state === 'healing' || s.state === 'stopped' || s.state === 'unknown' || this.holds.active(spec.name)) return;
    const probe = this.d.probes.get(spec.name);
    if (!probe) return;
    const run = await runProbe(probe, timing.timeoutMs, this.d.clock, signal);
    if (signal.aborted) return;
    this.observeProbe(spec.name, run);
  }

  private observeProbe(name: string, run: ProbeRun): void {
    this.d.onProbe?.(name, run.result.latencyMs);
    this.apply({ name, obs: probeObservation(run, this.d.clock.now()) });
  }

  private checkMemory(name: string, s: ServiceHealth): void {
    const m = this.memory.check(name, s, this.d.clock.now());
    // Unchanged verdict: record the figure without settling the whole stack again.
    if (m?.kind === 'record') this.states.set(name, { ...s, memoryBytes: m.bytes });
    else if (m) this.apply({ name, obs: m.obs });
  }

  private publish(): void {
    // Time-based decisions (heal windows, backoff) still run once a second in steady state.
    if (this.unsettled) this.apply(null);
    this.saved.save();
    // A latency alone goes to pm2 only every few seconds (surface.ts): no report is built for it in between.
    if (!this.dirty || !this.surface.due(this.news)) return;
    this.dirty = this.news = false;
    this.surface.publish(this.report());
  }

  /** One observation in, the whole stack settled, the resulting actions carried out. */
  private apply(input: { name: string; obs: Observation } | null): void {
    const before = this.states;
    if (input) {
      const s = this.states.get(input.name);
      if (!s) return;
      const next = observe(s, input.obs, this.specs.get(input.name)?.timing ?? null);
      if (next.pid > 0 && next.pid !== s.pid) this.d.rearm?.(input.name);
      // Steady state: healthy and still healthy changes no one's attribution and
      // asks for no action, so the whole-stack settle (O(services) each time,
      // O(n²) a second at 200 targets) waits for the next publish, at most 1 s.
      if (s.state === 'healthy' && next.state === 'healthy' && !next.overMemory) {
        this.states.set(input.name, next);
        this.dirty = this.unsettled = true;
        if (next.note !== s.note) this.news = true;
        return;
      }
      this.states = new Map(this.states).set(input.name, next);
    }
    this.unsettled = false;
    const now = this.d.clock.now();
    const r = settle({ states: this.states, specs: this.specs, now, policy: this.d.policy, paused: this.paused, crashes: (n, since) => this.history.crashesSince(n, since) });
    this.states = r.states;
    // settle keeps each unchanged state as the same object: a steady-state settle is no news.
    if (input !== null || r.actions.length > 0) this.news = true;
    else for (const [n, st] of r.states) if (before.get(n) !== st) this.news = true;
    for (const line of changeLines(before, this.states)) this.d.log(line);
    for (const fn of this.settledObservers) fn(this.states, this.history, now);
    this.dirty = true;
    for (const a of r.actions) if (!this.holds.active(a.name)) carryOut(a, this.actions);
  }
}
