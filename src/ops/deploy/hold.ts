import type { Pm2Client } from '../../pm2/client.js';
import type { Service, Stack } from '../../stack/types.js';
import { graceOf } from '../shared/readiness.js';

// The deploy tells the monitor it owns the services it restarts (the monitor's
// `hold` action, src/monitor/holds.ts), so a slow start is not "healed" halfway.
// One trigger to hold and one to release per deploy. The lease covers every
// restart and its rollback at their deadlines; the hold also ends when this
// process dies, so a killed deploy never leaves a service unhealed.

export interface HoldHandle {
  /** What to tell the operator: held, or why not. */
  readonly note: string;
  release(): Promise<void>;
}

const MAX_LEASE_S = 3600;

export function leaseSeconds(services: readonly Service[], deadlineMs: (s: Service) => number = graceOf): number {
  const oneWay = services.reduce((ms, s) => ms + s.stopTimeoutMs + deadlineMs(s), 0);
  return Math.min(MAX_LEASE_S, Math.ceil((2 * oneWay + 60_000) / 1000));
}

export async function holdServices(client: Pm2Client, stack: Stack, services: readonly Service[], deadlineMs?: (s: Service) => number): Promise<HoldHandle> {
  const none = (note: string): HoldHandle => ({ note, release: async () => undefined });
  const monitor = stack.services.find((s) => s.kind === 'monitor');
  if (!monitor) return none('this stack has no monitor; nothing to hold');
  const p = await client.get(monitor.name);
  if (!p || p.status !== 'online') return none(`the monitor is not running (${p ? p.status : 'not in pm2'}); deploying without a hold`);
  const names = services.map((s) => s.name).join(',');
  const lease = leaseSeconds(services, deadlineMs);
  try {
    const reply = (await client.trigger(monitor.name, 'hold', `${names} ${lease} ${process.pid}`, 10_000)) as { ok?: boolean; error?: string };
    if (reply?.ok !== true) return none(`the monitor refused the hold (${reply?.error ?? 'no reason'}); deploying without it`);
  } catch (err) {
    // A monitor from before hold existed never replies to it.
    return none(`the monitor did not answer the hold (${err instanceof Error ? err.message : String(err)}); deploying without it`);
  }
  return {
    note: `monitor: holding ${services.map((s) => s.name).join(', ')} (lease ${lease} s)`,
    release: async () => {
      await client.trigger(monitor.name, 'release', names, 10_000).catch(() => undefined);
    },
  };
}
