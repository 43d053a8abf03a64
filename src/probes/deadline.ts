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

/** The reason a signal marked with `markDeadline` aborts with when its time is up. */
export const DEADLINE_REACHED: unknown = new DOMException('probe deadline reached', 'TimeoutError');

const marked = new WeakMap<AbortSignal, { readonly at: number; readonly budgetMs: number }>();

/**
 * Says that `signal` aborts with DEADLINE_REACHED `budgetMs` from now (the
 * monitor's runProbe does, every probe). A probe's startDeadline under such a
 * signal, with a budget no shorter, then needs no controller or timer of its
 * own: one of each per probe instead of two, every second per service.
 */
export function markDeadline(signal: AbortSignal, budgetMs: number): void {
  marked.set(signal, { at: performance.now() + budgetMs, budgetMs });
}

export function startDeadline(outer: AbortSignal, timeoutMs: number): Deadline {
  const started = performance.now();
  const mark = marked.get(outer);
  // The outer signal ends no later than our budget would: it is our deadline.
  if (mark && mark.at <= started + timeoutMs) return sharedDeadline(outer, started, mark.budgetMs);
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

function sharedDeadline(signal: AbortSignal, started: number, budgetMs: number): Deadline {
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  return {
    signal,
    elapsed,
    expired: () => `timed out after ${signal.reason === DEADLINE_REACHED ? budgetMs : Math.round(elapsed())} ms`,
    dispose() {
      /* nothing of its own */
    },
  };
}
