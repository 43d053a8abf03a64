import { sleep } from '../util/timeout.js';
import { emptySoak, foldError, foldSample, type SoakState } from './soak-summary.js';
import type { StatusReport } from './status-types.js';

// The incident's "for i in {1..30}; do ps aux | grep ...; sleep 10; done",
// measured: sample status every interval for the duration, fold each sample.

export interface SoakOptions {
  readonly durationMs: number;
  readonly intervalMs: number;
  readonly signal?: AbortSignal;
  readonly now?: () => number;
  readonly onSample?: (state: SoakState, elapsedMs: number) => void;
}

export interface SoakResult {
  readonly state: SoakState;
  readonly elapsedMs: number;
  /** True when the signal ended the soak before its duration. */
  readonly cancelled: boolean;
}

export async function soak(sample: (signal?: AbortSignal) => Promise<StatusReport>, o: SoakOptions): Promise<SoakResult> {
  const now = o.now ?? Date.now;
  const t0 = now();
  let state = emptySoak();
  for (;;) {
    try {
      state = foldSample(state, await sample(o.signal));
    } catch (err) {
      if (o.signal?.aborted) return { state, elapsedMs: now() - t0, cancelled: true };
      state = foldError(state, err);
    }
    const elapsed = now() - t0;
    o.onSample?.(state, elapsed);
    if (elapsed >= o.durationMs) return { state, elapsedMs: elapsed, cancelled: false };
    try {
      // The next sample lands on the interval grid, so a slow sample does not stretch the soak.
      const next = t0 + (Math.floor(elapsed / o.intervalMs) + 1) * o.intervalMs;
      await sleep(Math.max(0, Math.min(next, t0 + o.durationMs) - now()), o.signal);
    } catch {
      return { state, elapsedMs: now() - t0, cancelled: true };
    }
  }
}
