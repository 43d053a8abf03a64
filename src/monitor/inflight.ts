import type { Clock } from './clock.js';

// Work the monitor started in the background (heals, give-ups): tracked so
// that stop() can wait for it, and so that a failure is logged, never an
// unhandled rejection (which would exit the monitor).

export class Inflight {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: (line: string) => void) {}

  track(p: Promise<unknown>): void {
    const done: Promise<void> = p.then(
      () => undefined,
      (err: unknown) => this.log(`monitor: ${String(err)}`),
    ).finally(() => this.running.delete(done));
    this.running.add(done);
  }

  /** Waits for what runs, `capMs` at most: each heal has its own RPC timeouts, a shutdown should not wait on them all. */
  async drain(clock: Clock, capMs: number): Promise<void> {
    if (this.running.size === 0) return;
    const cap = new AbortController();
    await Promise.race([Promise.all(this.running), clock.sleep(capMs, cap.signal)]);
    cap.abort();
  }
}
