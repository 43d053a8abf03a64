// One probe's time budget: its own timeout, or the caller's signal, whichever
// ends first. The timer is cleared and the listener removed in `dispose`, so a
// probe that answered leaves nothing scheduled behind it.

export interface Deadline {
  /** Aborts when the budget runs out or the caller aborts. */
  readonly signal: AbortSignal;
  /** Milliseconds since the probe started, to 0.1 ms. */
  elapsed(): number;
  /** "timed out after 1000 ms": the configured budget if ours expired, else the time spent. */
  expired(): string;
  dispose(): void;
}

export function startDeadline(outer: AbortSignal, timeoutMs: number): Deadline {
  const started = performance.now();
  const ctl = new AbortController();
  let ownTimerFired = false;
  const onOuterAbort = () => ctl.abort(outer.reason);
  const timer = setTimeout(() => {
    ownTimerFired = true;
    ctl.abort();
  }, timeoutMs);
  // Deliberately not unref()ed: it lives no longer than the probe, which is
  // awaited anyway, and a ref'd timer is one a leak test can see.
  if (outer.aborted) onOuterAbort();
  else outer.addEventListener('abort', onOuterAbort, { once: true });
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  return {
    signal: ctl.signal,
    elapsed,
    expired: () => `timed out after ${ownTimerFired ? timeoutMs : Math.round(elapsed())} ms`,
    dispose() {
      clearTimeout(timer);
      outer.removeEventListener('abort', onOuterAbort);
    },
  };
}
