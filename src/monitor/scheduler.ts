import { setMaxListeners } from 'node:events';
import type { Clock } from './clock.js';

// One loop per service: run its tick, wait out the rest of its interval, again.
// A tick is awaited before the next wait starts, so probes of one service never
// overlap. stop() aborts every wait and resolves once every loop has returned:
// nothing stays scheduled after it.

export interface Job {
  readonly name: string;
  /** Asked after every tick: the interval can change with the service's state. */
  delayMs(): number;
  tick(signal: AbortSignal): Promise<void>;
}

export class Scheduler {
  private readonly stopping = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private readonly wakers = new Map<string, AbortController>();

  constructor(
    private readonly clock: Clock,
    private readonly onError: (job: string, err: unknown) => void,
  ) {
    // Every running probe listens on this one signal: 200 targets is 200 listeners, not a leak.
    setMaxListeners(0, this.stopping.signal);
  }

  /** Starts `jobs`, spread over their first interval so ticks do not bunch up. */
  start(jobs: readonly Job[]): void {
    jobs.forEach((job, i) => this.loops.push(this.loop(job, (job.delayMs() * i) / Math.max(1, jobs.length))));
  }

  /** Cuts `name`'s current wait short: its next tick runs now. */
  kick(name: string): void {
    this.wakers.get(name)?.abort();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.loops);
  }

  get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private async loop(job: Job, offsetMs: number): Promise<void> {
    const stop = this.stopping.signal;
    await this.wait(job.name, offsetMs);
    while (!stop.aborted) {
      const started = this.clock.now();
      try {
        await job.tick(stop);
      } catch (err) {
        this.onError(job.name, err);
      }
      if (stop.aborted) break;
      await this.wait(job.name, job.delayMs() - (this.clock.now() - started));
    }
    this.wakers.delete(job.name);
  }

  private async wait(name: string, ms: number): Promise<void> {
    if (ms <= 0 || this.stopping.signal.aborted) return;
    const waker = new AbortController();
    this.wakers.set(name, waker);
    await this.clock.sleep(ms, AbortSignal.any([this.stopping.signal, waker.signal]));
  }
}
