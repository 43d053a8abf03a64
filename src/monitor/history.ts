import type { ProcessEvent } from '../pm2/types.js';
import { describePeriod, detectPeriod } from './period.js';

// Every restart of every service, from pm2's bus, with its cause where known.
// pm2 reports a restart as `exit` then `online`; a restart or stop ordered
// through its API is followed by a `restart`/`stop` event with manually=true,
// and memory, cron and watch restarts look exactly like crashes. So a cause is
// provisional at the exit and corrected when the manual event arrives.

export type RestartCause = 'heal' | 'memory' | 'manual' | 'crash' | 'stop';

export interface RestartRecord {
  readonly name: string;
  readonly at: number;
  cause: RestartCause;
  readonly exitCode: number | null;
  readonly signal: string | null;
}

interface Expected {
  readonly cause: 'heal' | 'memory' | 'stop';
  readonly until: number;
}

const DAY = 24 * 3_600_000;
/** A manual event this long after an exit still explains it (mongod may take a minute to stop). */
export const MANUAL_LAG_MS = 90_000;

export class RestartHistory {
  private readonly records: RestartRecord[] = [];
  private readonly expected = new Map<string, Expected>();
  /** Services whose last exit has not yet been followed by `online`. */
  private readonly down = new Set<string>();

  /** Bumped on every change, so a store writes only when there is something new. */
  private changes = 0;

  constructor(private readonly keepMs = DAY, private readonly max = 2000) {}

  get version(): number {
    return this.changes;
  }

  /** Every record kept, oldest first (what a store saves). */
  all(): readonly RestartRecord[] {
    return this.records;
  }

  /**
   * Records from before a monitor restart, ahead of any new ones. Anything not
   * shaped like a record is dropped, and the usual age and count limits apply.
   */
  restore(saved: unknown, now: number): number {
    if (!Array.isArray(saved)) return 0;
    const causes = new Set<string>(['heal', 'memory', 'manual', 'crash', 'stop']);
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    const ok = saved.filter(
      (r): r is RestartRecord =>
        typeof r === 'object' && r !== null && typeof r.name === 'string' && num(r.at) !== null && causes.has(r.cause) && (r.exitCode === null || num(r.exitCode) !== null) && (r.signal === null || typeof r.signal === 'string'),
    );
    const kept = ok.map((r) => ({ name: r.name, at: r.at, cause: r.cause, exitCode: r.exitCode, signal: r.signal })).sort((a, b) => a.at - b.at);
    this.records.unshift(...kept);
    this.prune(now);
    return kept.length;
  }

  /** The monitor is about to restart or stop `name` itself: its next exit has this cause. */
  expect(name: string, cause: Expected['cause'], until: number): void {
    this.expected.set(name, { cause, until });
  }

  /**
   * A rolling restart under the socket holder: the service restarted, but pm2's
   * process (the holder) did not, so no exit reaches the bus. roll-feed.ts
   * reads it from the holder's state file.
   */
  rolled(name: string, cause: RestartCause, at: number): RestartRecord {
    const rec: RestartRecord = { name, at, cause, exitCode: null, signal: null };
    this.records.push(rec);
    this.prune(at);
    this.changes++;
    return rec;
  }

  /** Returns the record an exit created, if any. */
  onEvent(e: ProcessEvent): RestartRecord | null {
    if (e.event === 'online') this.down.delete(e.name);
    // pm2 announces one stop twice: from its stop routine and from the child's exit handler.
    if (e.event === 'exit' && this.down.has(e.name)) return null;
    if (e.event === 'exit') return this.onExit(e);
    if (e.manually && (e.event === 'restart' || e.event === 'stop' || e.event === 'delete')) this.onManual(e);
    return null;
  }

  private onExit(e: ProcessEvent): RestartRecord {
    const exp = this.expected.get(e.name);
    this.expected.delete(e.name);
    this.down.add(e.name);
    const cause: RestartCause = exp && e.at <= exp.until ? exp.cause : 'crash';
    const rec: RestartRecord = { name: e.name, at: e.at, cause, exitCode: e.exitCode, signal: e.signal };
    this.records.push(rec);
    this.prune(e.at);
    this.changes++;
    return rec;
  }

  private onManual(e: ProcessEvent): void {
    for (let i = this.records.length - 1; i >= 0; i--) {
      const r = this.records[i]!;
      if (e.at - r.at > MANUAL_LAG_MS) return;
      if (r.name !== e.name) continue;
      if (r.cause === 'crash') {
        r.cause = e.event === 'restart' ? 'manual' : 'stop';
        this.changes++;
      }
      return;
    }
  }

  private prune(now: number): void {
    while (this.records.length > this.max || (this.records[0] && now - this.records[0].at > this.keepMs)) this.records.shift();
  }

  of(name: string, since = -Infinity): RestartRecord[] {
    return this.records.filter((r) => r.name === name && r.at >= since);
  }

  /** Restarts of any cause (a stop is not a restart). */
  restartsSince(name: string, since: number): number {
    return this.of(name, since).filter((r) => r.cause !== 'stop').length;
  }

  /** Exits nobody asked for: what a crash loop is made of. */
  crashesSince(name: string, since: number): number {
    return this.of(name, since).filter((r) => r.cause === 'crash').length;
  }

  /** A regular restart period, in words, from restarts the monitor did not order. */
  pattern(name: string, now: number): string | null {
    const times = this.of(name, now - this.keepMs)
      .filter((r) => r.cause === 'crash' || r.cause === 'manual')
      .map((r) => r.at);
    const p = detectPeriod(times);
    return p ? describePeriod(name, p) : null;
  }
}
