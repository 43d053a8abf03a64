import type { AlertEvent } from './types.js';

// Alerts from the monitor's state transitions. Pure: (what was tracked, each
// service's snapshot now, the monotonic time) -> (what is tracked, events).
//
// One incident, two messages. A service opens an incident when it turns
// unhealthy (or healing, crash-looping, given-up), and closes it when it is
// healthy again. The opening sends "unhealthy" (or "crash-looping"), the close
// sends "recovered". In between, heals are counted, not sent: a hung api healed
// by one restart reads "recovered ... the monitor restarted it 1 time", so a
// heal that works costs no message of its own and one that does not ends in
// "given-up", which is always sent (once per incident). A restart for memory is
// one message; it opens a quiet incident that closes without a word unless the
// service then turns unhealthy. Services `blocked` by a dependency raise
// nothing: the dependency's own incident is the one to read.

export interface ServiceSnap {
  readonly name: string;
  readonly state: string;
  readonly lastError: string | null;
  /** Heals the monitor ordered since it started (ServiceHealth.healsTotal). */
  readonly heals: number;
  readonly overMemory: boolean;
  readonly memoryBytes: number | null;
  readonly memoryLimit: number | null;
  /** Unplanned exits inside the crash window. */
  readonly crashes: number;
  /** A periodic-restart diagnosis in words, or null. */
  readonly pattern: string | null;
}

export interface Incident {
  readonly openedAt: number;
  readonly healsAtOpen: number;
  /** Opened by a memory restart and not (yet) worth a message of its own. */
  readonly quiet: boolean;
  readonly crashLoop: boolean;
  readonly givenUp: boolean;
}

export interface Tracked {
  readonly snaps: ReadonlyMap<string, ServiceSnap>;
  readonly incidents: ReadonlyMap<string, Incident>;
  readonly patterns: ReadonlySet<string>;
}

export const emptyTracked = (): Tracked => ({ snaps: new Map(), incidents: new Map(), patterns: new Set() });

export interface DeriveOptions {
  /** Monotonic ms: incident durations. */
  readonly mono: number;
  /** Wall-clock ms: event timestamps, for display. */
  readonly wall: number;
  /** This many crashes in the window is a crash loop worth a message (the monitor gives up at more). */
  readonly crashWarn: number;
  /** The crash window, for the message. */
  readonly crashWindowMs: number;
}

const OPENS = new Set(['unhealthy', 'healing', 'given-up']);

export function deriveEvents(prev: Tracked, snaps: readonly ServiceSnap[], o: DeriveOptions): { tracked: Tracked; events: AlertEvent[] } {
  const events: AlertEvent[] = [];
  const incidents = new Map(prev.incidents);
  const patterns = new Set(prev.patterns);
  const next = new Map<string, ServiceSnap>();
  for (const s of snaps) {
    next.set(s.name, s);
    const p = prev.snaps.get(s.name);
    const ev = (kind: AlertEvent['kind'], detail: string, nextCmd: string): void => {
      events.push({ kind, service: s.name, state: s.state, detail, next: nextCmd, at: o.wall });
    };
    let inc = incidents.get(s.name);
    if (p?.overMemory && s.state === 'healing' && p.state !== 'healing') {
      ev('memory-restart', memoryDetail(p), `botstack logs ${s.name}`);
      if (!inc) incidents.set(s.name, (inc = { openedAt: o.mono, healsAtOpen: p.heals, quiet: true, crashLoop: false, givenUp: false }));
    }
    const crashLoop = s.crashes >= o.crashWarn;
    if (crashLoop && !(p && p.crashes >= o.crashWarn) && s.state !== 'given-up' && (!inc || inc.quiet)) {
      ev('crash-looping', `exited ${s.crashes} times in ${formatDuration(o.crashWindowMs)}${s.lastError ? `; last error: ${s.lastError}` : ''}`, `botstack logs ${s.name} --errors`);
      incidents.set(s.name, (inc = { openedAt: inc?.openedAt ?? o.mono, healsAtOpen: inc?.healsAtOpen ?? s.heals, quiet: false, crashLoop: true, givenUp: false }));
    }
    if (s.state === 'given-up' && p?.state !== 'given-up' && !inc?.givenUp) {
      ev('given-up', s.lastError ?? 'the monitor stopped healing it', `botstack logs ${s.name} --errors, then botstack restart ${s.name}`);
      incidents.set(s.name, (inc = { openedAt: inc?.openedAt ?? o.mono, healsAtOpen: inc?.healsAtOpen ?? s.heals, quiet: false, crashLoop: inc?.crashLoop ?? false, givenUp: true }));
    }
    const opensNow = s.state === 'unhealthy' || (OPENS.has(s.state) && !inc);
    if (opensNow && (!inc || (inc.quiet && s.state === 'unhealthy'))) {
      ev('unhealthy', s.lastError ?? 'failing its health check', `botstack logs ${s.name} --errors`);
      incidents.set(s.name, (inc = { openedAt: inc?.openedAt ?? o.mono, healsAtOpen: inc?.healsAtOpen ?? s.heals, quiet: false, crashLoop: false, givenUp: false }));
    }
    if (inc && s.state === 'healthy' && (!inc.crashLoop || !crashLoop)) {
      if (!inc.quiet) ev('recovered', recoveredDetail(inc, s, o.mono), 'botstack status');
      incidents.delete(s.name);
    }
    if (s.pattern && !patterns.has(s.name)) {
      patterns.add(s.name);
      ev('periodic-restart', s.pattern, `crontab -l; systemctl list-timers; botstack doctor`);
    } else if (!s.pattern) patterns.delete(s.name);
  }
  return { tracked: { snaps: next, incidents, patterns }, events };
}

const mib = (b: number | null): string => (b === null ? '?' : `${Math.round(b / 2 ** 20)} MiB`);

function memoryDetail(p: ServiceSnap): string {
  return `its process tree used ${mib(p.memoryBytes)}${p.memoryLimit !== null ? `, over its ${mib(p.memoryLimit)} limit` : ''}; the monitor restarted it`;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

function recoveredDetail(inc: Incident, s: ServiceSnap, mono: number): string {
  const heals = s.heals - inc.healsAtOpen;
  const how = heals > 0 ? `; the monitor restarted it ${heals} time${heals === 1 ? '' : 's'}` : '';
  return `healthy again after ${formatDuration(mono - inc.openedAt)}${how}`;
}
