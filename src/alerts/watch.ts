import type { ServiceHealth } from '../monitor/health.js';
import type { RestartHistory } from '../monitor/history.js';
import type { Stack } from '../stack/types.js';
import { Delivery } from './delivery.js';
import { DiskWatch } from './disk.js';
import { deriveEvents, emptyTracked, type ServiceSnap, type Tracked } from './events.js';
import { incidentsToSave, trackedFromSaved } from './incidents.js';
import type { AlertJournal, JournalState } from './journal.js';
import type { Redact } from '../util/redact.js';
import { realTimers, type AlertTimers } from './timers.js';
import type { AlertConfig, AlertEvent } from './types.js';

// The monitor's alerting, as one observer: after every settle it snapshots the
// services, derives events (events.ts, pure) and hands them to delivery, which
// works on its own timers. Nothing here awaits the network or throws into the
// monitor: a probe or a heal never waits for an alert.

export interface WatchPolicy {
  readonly crashWindowMs: number;
  readonly crashLoopExits: number;
}

/** Restart counts and the period diagnosis are recomputed on a change of history, else this often. */
const CRASH_REFRESH_MS = 5000;
const PATTERN_REFRESH_MS = 60_000;

export class AlertWatch {
  private tracked: Tracked = emptyTracked();
  private readonly limits: ReadonlyMap<string, number | null>;
  private readonly crashes = new Map<string, number>();
  private readonly patterns = new Map<string, string | null>();
  private seen = { version: -1, crashesAt: -Infinity, patternsAt: -Infinity };
  /** The incidents as last saved, to save only on a change. */
  private savedIncidents = '';
  private readonly redact: Redact;
  private readonly disk: DiskWatch;
  readonly delivery: Delivery;

  constructor(
    private readonly config: AlertConfig,
    stack: Stack,
    private readonly policy: WatchPolicy,
    private readonly log: (line: string) => void,
    private readonly timers: AlertTimers = realTimers,
    delivery?: Delivery,
    o: { readonly redact?: Redact; readonly journal?: AlertJournal } = {},
  ) {
    this.limits = new Map(stack.services.map((s) => [s.name, s.memoryBytes]));
    this.redact = o.redact ?? ((t) => t);
    this.delivery = delivery ?? new Delivery(config, log, { timers, redact: this.redact, ...(o.journal ? { journal: o.journal } : {}) });
    this.disk = new DiskWatch({ paths: diskPaths(stack), threshold: config.disk, timers, emit: (e) => this.delivery.push([e]), log });
  }

  /**
   * `restarts`: pm2's restart count of the monitor itself (its `restart_time`).
   * `saved`: what the previous run journaled: its open incidents (not announced
   * again; their recovery still is) and its undelivered alerts (sent first).
   */
  start(restarts: number, saved?: JournalState): void {
    if (saved) {
      this.tracked = trackedFromSaved(saved, this.timers.now());
      this.savedIncidents = this.signature(this.tracked);
      this.delivery.restore(saved);
      if (saved.incidents.length > 0) this.log(`alerts: still open from before the restart, not announced again: ${saved.incidents.map((i) => i.service).join(', ')}`);
    }
    if (restarts > 0) {
      this.delivery.push([{ kind: 'monitor-restarted', service: 'monitor', state: 'online', detail: `pm2 restarted the monitor (restart #${restarts}); it rebuilt its view from pm2 and restarted no one`, next: 'botstack logs monitor --errors', at: Date.now() }]);
    }
    this.disk.start();
  }

  /** Delivers what is queued for at most `flushMs`, then stops; the rest waits in the journal for the next start. */
  async stop(flushMs?: number): Promise<void> {
    this.disk.stop();
    await this.delivery.drain(flushMs);
  }

  /** The monitor's observer: called after every settle. Cheap, and never throws. `now` is the monitor's clock (history's), never shown. */
  settled(states: ReadonlyMap<string, ServiceHealth>, history: RestartHistory, now: number): void {
    try {
      this.refresh(states, history, now);
      const snaps: ServiceSnap[] = [];
      for (const s of states.values()) {
        snaps.push({
          name: s.name, state: s.state, lastError: s.state === 'given-up' && s.givenUpReason ? s.givenUpReason : s.lastError, heals: s.healsTotal,
          overMemory: s.overMemory, memoryBytes: s.memoryBytes, memoryLimit: this.limits.get(s.name) ?? null,
          crashes: this.crashes.get(s.name) ?? 0, pattern: this.patterns.get(s.name) ?? null,
        });
      }
      const r = deriveEvents(this.tracked, snaps, { mono: this.timers.now(), wall: Date.now(), crashWarn: Math.min(3, this.policy.crashLoopExits), crashWindowMs: this.policy.crashWindowMs });
      this.tracked = r.tracked;
      const sig = this.signature(r.tracked);
      const changed = sig !== this.savedIncidents;
      this.savedIncidents = sig;
      this.push(r.events, changed ? incidentsToSave(r.tracked, this.timers.now()) : undefined);
    } catch (err) {
      this.log(`alerts: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private push(events: AlertEvent[], incidents?: ReturnType<typeof incidentsToSave>): void {
    for (const e of events) this.log(`alerts: ${e.service ?? 'host'} ${e.kind}: ${this.redact(e.detail)}`);
    this.delivery.push(events, incidents);
  }

  private signature(t: Tracked): string {
    let sig = [...t.patterns].join(',');
    for (const [name, i] of t.incidents) sig += `|${name}:${+i.quiet}${+i.crashLoop}${+i.givenUp}:${(t.snaps.get(name)?.heals ?? 0) - i.healsAtOpen}`;
    return sig;
  }

  private refresh(states: ReadonlyMap<string, ServiceHealth>, history: RestartHistory, now: number): void {
    const changed = history.version !== this.seen.version;
    const mono = this.timers.now();
    if (changed || mono - this.seen.crashesAt > CRASH_REFRESH_MS) {
      this.seen.crashesAt = mono;
      // Counted the way settle.ts counts them: an operator's restart after a give-up starts afresh.
      for (const s of states.values()) this.crashes.set(s.name, history.crashesSince(s.name, Math.max(now - this.policy.crashWindowMs, s.crashesFrom)));
    }
    if (changed || mono - this.seen.patternsAt > PATTERN_REFRESH_MS) {
      this.seen.patternsAt = mono;
      for (const name of states.keys()) this.patterns.set(name, history.pattern(name, now));
    }
    this.seen.version = history.version;
  }
}

/** The log dirs and every mongod's dbpath (from its launch line: `--dbpath <dir>`). */
export function diskPaths(stack: Stack): string[] {
  const dirs = new Set<string>([stack.logDir]);
  for (const s of stack.services) {
    dirs.add(s.outFile.slice(0, s.outFile.lastIndexOf('/')) || '/');
    const i = s.kind === 'mongod' ? s.launch.args.indexOf('--dbpath') : -1;
    if (i >= 0 && s.launch.args[i + 1]) dirs.add(s.launch.args[i + 1]!);
  }
  return [...dirs];
}
