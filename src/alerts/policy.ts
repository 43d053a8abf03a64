import type { AlertTimers } from './timers.js';
import type { AlertEvent } from './types.js';

// Rate limit with a digest. Events wait `coalesceMs` so those that fire together
// (a settle that turns three services unhealthy) leave as one message; then each
// message spends a token from a bucket of `burst` that refills one every
// `refillMs`. When the bucket is empty, events pile up and leave together, as
// one digest, when the next token arrives: 50 events in a burst are 1 message,
// 50 spread over a minute are at most `burst` + 60 s / `refillMs` messages.

export interface RatePolicy {
  readonly coalesceMs: number;
  readonly burst: number;
  readonly refillMs: number;
}

export const DEFAULT_RATE: RatePolicy = { coalesceMs: 1000, burst: 5, refillMs: 12_000 };

export class Batcher {
  private pending: AlertEvent[] = [];
  private tokens: number;
  private refilledAt: number;
  private cancel: (() => void) | null = null;

  constructor(
    private readonly policy: RatePolicy,
    private readonly timers: AlertTimers,
    private readonly emit: (events: AlertEvent[]) => void,
  ) {
    this.tokens = policy.burst;
    this.refilledAt = timers.now();
  }

  push(events: readonly AlertEvent[]): void {
    if (events.length === 0) return;
    this.pending.push(...events);
    if (!this.cancel) this.schedule(this.policy.coalesceMs);
  }

  /** What waits for the next flush (the journal saves it). */
  held(): readonly AlertEvent[] {
    return this.pending;
  }

  /** Cancels the pending flush; what was pending is not sent. */
  stop(): AlertEvent[] {
    this.cancel?.();
    this.cancel = null;
    return this.pending.splice(0);
  }

  private refill(): void {
    const now = this.timers.now();
    const earned = Math.floor((now - this.refilledAt) / this.policy.refillMs);
    if (earned <= 0) return;
    this.tokens = Math.min(this.policy.burst, this.tokens + earned);
    this.refilledAt = this.tokens === this.policy.burst ? now : this.refilledAt + earned * this.policy.refillMs;
  }

  private schedule(ms: number): void {
    this.cancel = this.timers.after(ms, () => this.flush());
  }

  private flush(): void {
    this.cancel = null;
    this.refill();
    if (this.pending.length === 0) return;
    if (this.tokens < 1) {
      this.schedule(this.refilledAt + this.policy.refillMs - this.timers.now());
      return;
    }
    this.tokens -= 1;
    this.emit(this.pending.splice(0));
  }
}
