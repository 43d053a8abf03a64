// Services a deploy owns for a while: the monitor carries out no heal and no
// give-up for them. A hold is a lease on the monotonic clock, and also ends
// when the deploy's pid dies, so a deploy that is SIGKILLed never leaves a
// service unhealed: the monitor takes it back at the next probe.

interface Hold {
  readonly until: number;
  readonly pid: number;
}

export type HoldReply = { readonly ok: true; readonly held: readonly string[]; readonly leaseS: number } | { readonly ok: false; readonly error: string };

const USAGE = 'usage: pm2 trigger monitor hold "<service,service> <lease seconds> [pid]"';
const MAX_LEASE_S = 3600;

export class Holds {
  private readonly held = new Map<string, Hold>();

  constructor(
    private readonly now: () => number,
    private readonly isAlive: (pid: number) => boolean,
  ) {}

  /** `param`: "api,web 300 4321": the services, the lease in seconds, and the holder's pid (optional). */
  hold(param: unknown, known: readonly string[]): HoldReply {
    const [names = '', lease = '', pid = '0'] = (typeof param === 'string' ? param : '').trim().split(/\s+/);
    const services = names.split(',').filter(Boolean);
    const leaseS = Number(lease);
    const holder = Number(pid);
    if (services.length === 0 || !Number.isFinite(leaseS) || leaseS <= 0 || leaseS > MAX_LEASE_S || !Number.isInteger(holder) || holder < 0) return { ok: false, error: `${USAGE} (lease 1-${MAX_LEASE_S} s)` };
    const unknown = services.filter((s) => !known.includes(s));
    if (unknown.length > 0) return { ok: false, error: `not services of this stack: ${unknown.join(', ')} (services: ${known.join(', ')})` };
    const until = this.now() + leaseS * 1000;
    for (const s of services) this.held.set(s, { until, pid: holder });
    return { ok: true, held: services, leaseS };
  }

  /** `param`: "api,web", or empty for every hold. Returns what was released. */
  release(param: unknown): string[] {
    const names = (typeof param === 'string' ? param : '').trim().split(/[\s,]+/).filter(Boolean);
    const out = names.length === 0 ? [...this.held.keys()] : names.filter((n) => this.held.has(n));
    for (const n of out) this.held.delete(n);
    return out;
  }

  /** Whether `name` is held now; an expired lease or a dead holder ends the hold here. */
  active(name: string): boolean {
    const h = this.held.get(name);
    if (!h) return false;
    if (this.now() < h.until && (h.pid === 0 || this.isAlive(h.pid))) return true;
    this.held.delete(name);
    return false;
  }
}

/**
 * The `hold` and `release` actions of `pm2 trigger monitor`, logged. A released
 * service is `kick`ed: its next probe runs now, not an interval later.
 */
export function holdActions(holds: Holds, known: readonly string[], log: (line: string) => void, kick: (name: string) => void) {
  return {
    hold(param: unknown): HoldReply {
      const r = holds.hold(param, known);
      log(r.ok ? `monitor: holding ${r.held.join(', ')} for a deploy (lease ${r.leaseS} s)` : `monitor: hold refused: ${r.error}`);
      return r;
    },
    release(param: unknown): { released: string[] } {
      const released = holds.release(param);
      log(`monitor: released ${released.join(', ') || 'nothing'}`);
      for (const name of released) kick(name);
      return { released };
    },
  };
}
