import { sleep } from '../../util/timeout.js';
import { emptySoak, foldError, foldSample, type SoakState } from './summary.js';
import type { StatusReport } from '../status/types.js';

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
  const now = o.now ?? (() => performance.now());
  const t0 = now();
  // Samples land on slots of the interval grid, the last one at the duration:
  // 300 ms every 100 ms is 4 samples (0, 100, 200, 300), however the timers fall.
  const lastSlot = Math.ceil(o.durationMs / o.intervalMs);
  let slot = 0;
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
    if (slot >= lastSlot || elapsed >= o.durationMs) return { state, elapsedMs: elapsed, cancelled: false };
    // A slow sample skips the slots it overran rather than stretching the soak.
    slot = Math.min(lastSlot, Math.max(slot + 1, Math.floor(elapsed / o.intervalMs) + 1));
    const due = t0 + Math.min(slot * o.intervalMs, o.durationMs);
    try {
      // A timer may wake a millisecond short of `due` by this clock: sleep out the rest.
      while (now() < due) await sleep(due - now(), o.signal);
    } catch {
      return { state, elapsedMs: now() - t0, cancelled: true };
    }
  }
}
