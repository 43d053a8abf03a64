import type { ProcessEvent, ProcessInfo } from '../pm2/types.js';
import type { Clock } from './clock.js';
import type { MonitorPm2 } from './deps.js';
import type { Observation } from './health.js';
import type { RestartHistory } from './history.js';
import { exitLine, listObservations } from './observations.js';
import type { ServiceSpec } from './settle.js';

// What pm2 tells the monitor, fed into its brain: the process list (read at
// start, every reconcile interval, and at once after a bus event or a heal),
// and the bus's exits, which go into the restart history.

export interface FeedTarget {
  observe(name: string, obs: Observation): void;
  /** Something changed that is not one service's observation (an exit): settle the stack. */
  settle(): void;
  /** Re-read pm2's list now (the scheduler's `<pm2 list>` job). */
  reread(): void;
}

export interface FeedDeps {
  readonly pm2: MonitorPm2;
  readonly clock: Clock;
  readonly history: RestartHistory;
  readonly log: (line: string) => void;
  readonly processStart?: (p: ProcessInfo) => number | null;
}

export class Pm2Feed {
  private readonly procs = new Map<string, ProcessInfo>();
  /** When each service's last heal finished: a pm2 list asked for before then is stale for it. */
  private readonly healedAt = new Map<string, number>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly d: FeedDeps,
    private readonly specs: ReadonlyMap<string, ServiceSpec>,
    private readonly to: FeedTarget,
  ) {}

  /** The pm_id pm2 last listed for `name`; -1 when it listed none. */
  pmId(name: string): number {
    return this.procs.get(name)?.pmId ?? -1;
  }

  healed(name: string): void {
    this.healedAt.set(name, this.d.clock.now());
  }

  async reconcile(): Promise<void> {
    const asked = this.d.clock.now();
    const list = await this.d.pm2.list();
    const at = this.d.clock.now();
    for (const [name, spec] of this.specs) {
      if ((this.healedAt.get(name) ?? -Infinity) >= asked) continue;
      const p = list.find((x) => x.name === name);
      if (p) this.procs.set(name, p);
      else this.procs.delete(name);
      for (const obs of listObservations(p, at, spec.timing !== null, this.d.processStart)) this.to.observe(name, obs);
    }
  }

  async subscribe(): Promise<void> {
    const bus = await this.d.pm2.bus();
    this.unsubscribe = bus.onProcessEvent((e) => this.onBusEvent(e));
  }

  close(): void {
    this.unsubscribe?.();
  }

  private onBusEvent(e: ProcessEvent): void {
    if (!this.specs.has(e.name)) return;
    const rec = this.d.history.onEvent(e);
    if (rec) this.d.log(exitLine(e, rec));
    this.to.reread();
    this.to.settle();
  }
}
