import { waitFor } from '../../../../src/util/timeout.js';

// Leak checks by counting libuv resources: a probe that leaves a socket or a
// timer behind shows up as a count above the baseline taken before it ran.
// Probes' timers are ref'd for exactly this reason: unref'd ones are not listed.

export type Counts = Readonly<Record<string, number>>;

export function resourceCounts(): Counts {
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

const SOCKETS = ['TCPSocketWrap', 'TCPWrap', 'ConnectWrap'] as const;

/**
 * Sockets close asynchronously, so they are polled (with a deadline) back to
 * `baseline`. Timers are then checked once, not polled: clearTimeout is
 * synchronous, and waiting would let a leaked timer expire and hide itself.
 * So run the probe with a timeout longer than the test takes.
 */
export async function expectNoLeaks(baseline: Counts, timeoutMs = 5000): Promise<void> {
  let last: Counts = {};
  const above = (kinds: readonly string[]) => kinds.filter((k) => (last[k] ?? 0) > (baseline[k] ?? 0));
  try {
    await waitFor('sockets back to baseline', () => {
      last = resourceCounts();
      return above(SOCKETS).length === 0 ? true : undefined;
    }, { timeoutMs, intervalMs: 10 });
  } catch {
    throw new Error(`leaked sockets: baseline ${JSON.stringify(baseline)}, now ${JSON.stringify(last)}`);
  }
  last = resourceCounts();
  if (above(['Timeout']).length > 0) throw new Error(`leaked timers: baseline ${JSON.stringify(baseline)}, now ${JSON.stringify(last)}`);
}

/** Polls until `count()` is 0, e.g. a server's open connections after the probe hung up. */
export async function until0(what: string, count: () => number, timeoutMs = 5000): Promise<void> {
  await waitFor(what, () => (count() === 0 ? true : undefined), { timeoutMs, intervalMs: 10 });
}
