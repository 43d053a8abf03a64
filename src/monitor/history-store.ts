import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { RestartHistory, RestartRecord } from './history.js';

// Restart history outlives the monitor: a restart of the monitor (a deploy,
// `pm2 restart all`, a crash) must not wipe the record that periodic-restart
// detection needs hours of. One small JSON file in PM2_HOME, written whole
// (temp file, then rename) at most once a second and only after a change.
//
// Record times are monotonic (util/mono.ts), so they mean something only on
// the boot that wrote them; and the counts the CLI shows are this daemon's
// run, not an earlier daemon's with the same PM2_HOME. The file names its
// owner, and a load for another owner starts afresh (said once in the log).

export interface HistoryStore {
  /** What was saved, or [] (with the reason logged) when there is nothing usable. */
  load(): unknown;
  save(records: readonly RestartRecord[]): void;
}

/** Whose run the records belong to: this boot, and the pm2 daemon by its pid. */
export interface HistoryOwner {
  readonly bootId: string | null;
  readonly daemonPid: number | null;
}

interface Saved {
  readonly owner: HistoryOwner;
  readonly records: unknown;
}

const sameOwner = (a: HistoryOwner, b: HistoryOwner): boolean => a.bootId === b.bootId && a.daemonPid === b.daemonPid;

export function fileHistoryStore(path: string, log: (line: string) => void, owner: HistoryOwner = { bootId: null, daemonPid: null }): HistoryStore {
  const ignoring = (why: string): [] => {
    log(`monitor: ignoring restart history ${path}: ${why}; starting a new one`);
    return [];
  };
  return {
    load() {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        return [];
      }
      let saved: Partial<Saved>;
      try {
        saved = JSON.parse(text) as Partial<Saved>;
      } catch (err) {
        return ignoring(`not JSON (${err instanceof Error ? err.message : String(err)})`);
      }
      if (typeof saved !== 'object' || saved === null || typeof saved.owner !== 'object' || saved.owner === null) return ignoring('written by an older botstack (wall-clock times)');
      if (saved.owner.bootId !== owner.bootId) return ignoring('written before the last reboot');
      if (!sameOwner(saved.owner, owner)) return ignoring(`written under another pm2 daemon (pid ${String(saved.owner.daemonPid)}, now ${String(owner.daemonPid)})`);
      return saved.records ?? [];
    },
    save(records) {
      try {
        writeFileSync(`${path}.tmp`, JSON.stringify({ owner, records } satisfies Saved));
        renameSync(`${path}.tmp`, path);
      } catch (err) {
        log(`monitor: could not save restart history to ${path}: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}

/** Keeps a monitor's history and its store in step: restored once at start, saved only after a change. */
export class HistorySync {
  private savedVersion = 0;

  constructor(
    private readonly history: RestartHistory,
    private readonly store: HistoryStore | undefined,
  ) {}

  restore(now: number, log: (line: string) => void): void {
    if (!this.store) return;
    const n = this.history.restore(this.store.load(), now);
    if (n > 0) log(`monitor: ${n} restarts from before this monitor started, kept`);
    this.savedVersion = this.history.version;
  }

  save(): void {
    if (!this.store || this.history.version === this.savedVersion) return;
    this.savedVersion = this.history.version;
    this.store.save(this.history.all());
  }
}
