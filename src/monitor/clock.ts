import { monoNow, wallOf } from '../util/mono.js';

// Time, injected: the brain reads `now`, the runtime waits with `sleep`. Tests
// pass a fake; production gets real timers, unref'd so a monitor that has
// stopped everything else is never held alive by a pending wait.
// `now` is monotonic (util/mono.ts): a wall-clock step at boot must not end a
// start grace early, stall the probe schedule or fake a heartbeat's age.

export interface Clock {
  /** Monotonic milliseconds: compare and subtract these, never show them. */
  now(): number;
  /** The wall-clock time of a `now()` value, for display only (identity when absent). */
  wall?(t: number): number;
  /** Resolves after `ms`, or early (never rejects) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `fn` after `ms`; the returned function cancels it. The cheap form
   * for the every-second paths (scheduler waits, probe timeouts): no
   * AbortController, listener or promise per wait.
   */
  after(ms: number, fn: () => void): () => void;
  /** `after` runs on real time (so a probe may take a timer of this clock as its own deadline). */
  readonly real?: boolean;
}

const after = (ms: number, fn: () => void): (() => void) => {
  const timer = setTimeout(fn, Math.max(0, ms));
  timer.unref();
  return () => clearTimeout(timer);
};

export const realClock: Clock = {
  now: monoNow,
  wall: (t) => wallOf(t),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        cancel();
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const cancel = after(ms, done);
      signal?.addEventListener('abort', done, { once: true });
    }),
  after,
  real: true,
};
