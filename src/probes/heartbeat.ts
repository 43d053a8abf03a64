import { stat } from 'node:fs/promises';
import { startDeadline } from './deadline.js';
import { down, up } from './result.js';
import type { Probe, ProbeResult } from './types.js';

// For a service with no port (the bot): it touches a file while its event loop
// runs; a stale file means the loop is blocked or the task died. See docs/heartbeat.md.

export interface HeartbeatProbeOptions {
  /** Absolute path of the file the service touches. */
  readonly file: string;
  readonly maxAgeMs: number;
  readonly timeoutMs: number;
  /** The clock, for tests; defaults to Date.now. */
  readonly now?: () => number;
}

const seconds = (ms: number): string => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);

async function judge(o: HeartbeatProbeOptions, elapsed: () => number): Promise<ProbeResult> {
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(o.file)).mtimeMs;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'ENOENT') return down(elapsed(), `heartbeat file ${o.file} does not exist; is the service's heartbeat task running? (docs/heartbeat.md)`);
    return down(elapsed(), `cannot stat heartbeat file ${o.file}: ${String(code ?? err)}`);
  }
  // A file stamped slightly in the future (clock step, NFS) counts as fresh.
  const age = Math.max(0, (o.now ?? Date.now)() - mtimeMs);
  if (age > o.maxAgeMs) return down(elapsed(), `heartbeat file ${o.file} is ${seconds(age)} old (max ${seconds(o.maxAgeMs)}): the service stopped touching it`);
  return up(elapsed(), `heartbeat ${seconds(age)} old`);
}

export function heartbeatProbe(o: HeartbeatProbeOptions): Probe {
  return async (signal) => {
    const dl = startDeadline(signal, o.timeoutMs);
    let onAbort = (): void => undefined;
    // A stat cannot be cancelled, but on a hung filesystem the probe must still answer on time.
    const aborted = new Promise<ProbeResult>((resolve) => {
      onAbort = () => resolve(down(dl.elapsed(), `${dl.expired()} (stat ${o.file})`));
      if (dl.signal.aborted) onAbort();
      else dl.signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([judge(o, dl.elapsed), aborted]);
    } finally {
      dl.signal.removeEventListener('abort', onAbort);
      dl.dispose();
    }
  };
}
