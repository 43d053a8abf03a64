import type { Kind } from '../stack/schema.js';

/**
 * How hard the monitor heals. Per-service probe timing (interval, timeout,
 * threshold, grace) lives in the stack; these bound what the monitor does with it.
 */
export interface HealPolicy {
  /** At most this many heals of one service inside `healWindowMs`; then `given-up`. */
  readonly maxHeals: number;
  readonly healWindowMs: number;
  /** Wait after the k-th heal in the window: base * 2^(k-1), capped. */
  readonly healBackoffMs: number;
  readonly healBackoffMaxMs: number;
  /** pm2-side crash loop: this many unplanned exits inside `crashWindowMs` gives up and stops it. */
  readonly crashLoopExits: number;
  readonly crashWindowMs: number;
  /**
   * A heal of a service whose last probe timed out (it answers nothing) gives
   * the graceful stop this long, then forces it with SIGKILL through pm2.
   * A database gets longer: a slow mongod is more often busy than hung.
   */
  readonly forceAfterMs: (kind: Kind) => number;
  /** While a service is starting, probe this often (capped by its interval) so recovery is seen fast. */
  readonly startingIntervalMs: number;
}

export const DEFAULT_POLICY: HealPolicy = {
  maxHeals: 3,
  healWindowMs: 15 * 60_000,
  healBackoffMs: 5000,
  healBackoffMaxMs: 60_000,
  crashLoopExits: 5,
  crashWindowMs: 5 * 60_000,
  forceAfterMs: (kind) => (kind === 'mongod' ? 10_000 : 500),
  startingIntervalMs: 250,
};

/** Wait required after `healsInWindow` recent heals before the next one. */
export function healBackoff(policy: HealPolicy, healsInWindow: number): number {
  if (healsInWindow <= 0) return 0;
  return Math.min(policy.healBackoffMs * 2 ** (healsInWindow - 1), policy.healBackoffMaxMs);
}
