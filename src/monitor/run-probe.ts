import { DEADLINE_REACHED, markDeadline } from '../probes/deadline.js';
import type { Probe, ProbeResult } from '../probes/types.js';
import type { Clock } from './clock.js';

// One probe run under the service's timeout. The probe contract says it
// resolves by the time its signal aborts; a probe that breaks the contract is
// still cut off shortly after, so a bad probe can never stall its loop.
// This runs every second per service, so it costs one AbortController and one
// timer at a time; nothing is aborted (an abort builds an exception with a
// stack trace) unless the probe actually runs out of time.

export interface ProbeRun {
  readonly result: ProbeResult;
  /** No answer inside the timeout: the process is not answering at all. */
  readonly timedOut: boolean;
}

/** How long past its timeout a probe may take to resolve before we stop waiting. */
const CONTRACT_SLACK_MS = 250;
/** Timers of the same length race; a result this close to the timeout is a timeout. */
const EDGE_MS = 25;

export function runProbe(probe: Probe, timeoutMs: number, clock: Clock, stop: AbortSignal): Promise<ProbeRun> {
  const started = clock.now();
  const ctl = new AbortController();
  // The probe's own deadline (probes/deadline.ts) rides on this signal rather than making a second
  // one; only on a real clock, since a fake one's timers do not fire in real time.
  if (clock.real === true) markDeadline(ctl.signal, timeoutMs);
  const onStop = () => ctl.abort(stop.reason);
  if (stop.aborted) ctl.abort(stop.reason);
  else stop.addEventListener('abort', onStop, { once: true });
  return new Promise<ProbeRun>((resolve) => {
    let settled = false;
    const settle = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      cancel();
      stop.removeEventListener('abort', onStop);
      const elapsed = clock.now() - started;
      resolve({ result, timedOut: !result.ok && (ctl.signal.aborted || elapsed >= timeoutMs - EDGE_MS) });
    };
    const threw = (err: unknown): ProbeResult => ({ ok: false, latencyMs: clock.now() - started, reason: `probe threw: ${String(err)}` });
    let cancel = clock.after(timeoutMs, () => {
      ctl.abort(DEADLINE_REACHED);
      cancel = clock.after(CONTRACT_SLACK_MS, () =>
        settle({ ok: false, latencyMs: clock.now() - started, reason: `probe gave no result ${CONTRACT_SLACK_MS} ms after its ${timeoutMs} ms timeout` }),
      );
    });
    try {
      probe(ctl.signal).then(settle, (err: unknown) => settle(threw(err)));
    } catch (err) {
      settle(threw(err));
    }
  });
}
