import type { Service } from '../../stack/types.js';
import type { ProbeResult } from '../../probes/types.js';

// One probe of one service, as `start`, `restart` and `status` need it. The probe
// modules (and the mongodb driver behind them) load only when a probe runs.

export interface ServiceProber {
  probe(signal?: AbortSignal): Promise<ProbeResult>;
  close(): Promise<void>;
}

/** A prober for a service with a health check, or null for `health: none`. */
export async function proberFor(service: Service): Promise<ServiceProber | null> {
  if (service.health.type === 'none') return null;
  const { probeFor } = await import('../../probes/index.js');
  const p = probeFor(service);
  if (!p) return null;
  const timeoutMs = service.health.timeoutMs;
  return {
    probe: async (signal) => {
      const limit = AbortSignal.timeout(timeoutMs);
      return p.probe(signal ? AbortSignal.any([signal, limit]) : limit);
    },
    close: async () => {
      await p.close();
    },
  };
}

/** Probes once and closes; for callers that need a single answer. */
export async function probeOnce(service: Service, signal?: AbortSignal): Promise<ProbeResult | null> {
  const prober = await proberFor(service);
  if (!prober) return null;
  try {
    return await prober.probe(signal);
  } finally {
    await prober.close();
  }
}
