import type { Probe, ProbeResult } from '../probes/types.js';
import type { Clock } from './clock.js';

// One probe run under the service's timeout. The probe contract says it
// resolves by the time its signal aborts; a probe that breaks the contract is
// still cut off shortly after, so a bad probe can never stall its loop.

export interface ProbeRun {
  readonly result: ProbeResult;
  /** No answer inside the timeout: the process is not answering at all. */
  readonly timedOut: boolean;
}

/** How long past its timeout a probe may take to resolve before we stop waiting. */
const CONTRACT_SLACK_MS = 250;
/** Timers of the same length race; a result this close to the timeout is a timeout. */
const EDGE_MS = 25;

export async function runProbe(probe: Probe, timeoutMs: number, clock: Clock, stop: AbortSignal): Promise<ProbeRun> {
  const ctl = new AbortController();
  const done = new AbortController();
  const started = clock.now();
  const onStop = () => ctl.abort(stop.reason);
  stop.addEventListener('abort', onStop, { once: true });
  void clock.sleep(timeoutMs, done.signal).then(() => done.signal.aborted || ctl.abort());
  const cutoff = clock.sleep(timeoutMs + CONTRACT_SLACK_MS, done.signal).then(
    (): ProbeResult => ({ ok: false, latencyMs: clock.now() - started, reason: `probe gave no result ${CONTRACT_SLACK_MS} ms after its ${timeoutMs} ms timeout` }),
  );
  try {
    const result = await Promise.race([probe(ctl.signal).catch((err: unknown): ProbeResult => ({ ok: false, latencyMs: clock.now() - started, reason: `probe threw: ${String(err)}` })), cutoff]);
    const elapsed = clock.now() - started;
    return { result, timedOut: !result.ok && (ctl.signal.aborted || elapsed >= timeoutMs - EDGE_MS) };
  } finally {
    done.abort();
    stop.removeEventListener('abort', onStop);
  }
}
