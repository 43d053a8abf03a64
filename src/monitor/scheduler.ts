import { setMaxListeners } from 'node:events';
import { onGrid } from '../util/grid.js';
import type { Clock } from './clock.js';

// One loop per job: run its tick, wait out the rest of its interval, again.
// A tick is awaited before the next wait starts, so probes of one service never
// overlap. stop() ends every wait and resolves once every loop has returned:
// nothing stays scheduled after it.
//
// Ticks are put on a shared grid: a wait ends on the next whole second (wall
// clock), or for jobs faster than that the next multiple of `quantumMs`, and
// one timer serves every waiting job. So jobs with the same interval wake the
// process together, once, instead of each on its own. Wake-ups were the
// monitor's main cost: on a small VM one costs ~0.2 ms of CPU whatever it
// does, more than a keep-alive probe itself (BENCHMARKS.md). A tick may start
// up to one grid step late, once, when a job changes phase (a kick, a slow
// start); after that it stays on the grid.

export interface Job {
  readonly name: string;
  /** Asked after every tick: the interval can change with the service's state. */
  delayMs(): number;
  tick(signal: AbortSignal): Promise<void>;
}

/** How late a tick may start and still count as on its grid point. */
const LATE_MS = 50;

export interface GridOptions {
  /** Grid step for jobs slower than `coarseMs`: default 1000 ms. */
  readonly coarseMs?: number;
  /** Grid step for faster jobs (a service starting up): default 250 ms. */
  readonly quantumMs?: number;
}

interface Waiting {
  readonly due: number;
  readonly wake: () => void;
}

export class Scheduler {
  private readonly stopping = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private readonly waiting = new Map<string, Waiting>();
  private timer: { at: number; cancel: () => void } | null = null;

  private readonly coarseMs: number;
  private readonly quantumMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly onError: (job: string, err: unknown) => void,
    grid: GridOptions = {},
  ) {
    this.coarseMs = grid.coarseMs ?? 1000;
    this.quantumMs = grid.quantumMs ?? 250;
    // Every running probe listens on this one signal: 200 targets is 200 listeners, not a leak.
    setMaxListeners(0, this.stopping.signal);
  }

  /** Starts `jobs`: each ticks at once, then on the grid. */
  start(jobs: readonly Job[]): void {
    for (const job of jobs) this.loops.push(this.loop(job));
  }

  /** Cuts `name`'s current wait short: its next tick runs now. */
  kick(name: string): void {
    const w = this.waiting.get(name);
    if (!w) return;
    this.waiting.delete(name);
    w.wake();
    this.rearm();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    const all = [...this.waiting.values()];
    this.waiting.clear();
    this.rearm();
    for (const w of all) w.wake();
    await Promise.all(this.loops);
  }

  get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private async loop(job: Job): Promise<void> {
    const stop = this.stopping.signal;
    while (!stop.aborted) {
      const started = this.clock.now();
      try {
        await job.tick(stop);
      } catch (err) {
        this.onError(job.name, err);
      }
      if (stop.aborted) break;
      const delay = job.delayMs();
      // Jobs of a second or more share whole seconds; faster ones the quantum.
      // A timer fires a little late, so a tick starts a little after its grid
      // point: that lateness must not push the next one a whole step on.
      await this.waitUntil(job.name, onGrid(started + delay - LATE_MS, delay >= this.coarseMs ? this.coarseMs : this.quantumMs));
    }
  }

  private waitUntil(name: string, due: number): Promise<void> {
    if (due <= this.clock.now() || this.stopping.signal.aborted) return Promise.resolve();
    return new Promise<void>((wake) => {
      this.waiting.set(name, { due, wake });
      this.rearm();
    });
  }

  /** One timer, for the earliest wait. */
  private rearm(): void {
    let next = Infinity;
    for (const w of this.waiting.values()) next = Math.min(next, w.due);
    if (this.timer?.at === next) return;
    this.timer?.cancel();
    this.timer = null;
    if (next === Infinity) return;
    this.timer = { at: next, cancel: this.clock.after(next - this.clock.now(), () => this.fire()) };
  }

  private fire(): void {
    this.timer = null;
    const now = this.clock.now();
    const due = [...this.waiting].filter(([, w]) => w.due <= now);
    for (const [name] of due) this.waiting.delete(name);
    this.rearm();
    for (const [, w] of due) w.wake();
  }
}
