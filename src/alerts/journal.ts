import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AlertEvent } from './types.js';

// What the alerting must not forget when the monitor restarts (a deploy, a
// crash, `pm2 restart monitor`, a SIGKILL): the incidents it has announced, so
// it neither announces them again nor misses their recovery, and every alert
// not yet delivered. One small JSON file beside the restart history in
// PM2_HOME, written whole (temp file, then rename) whenever it changes.
//
// Order: an alert is written here before its first attempt and removed only
// after the channel said "sent". A crash between the two sends it again on the
// next start, flagged as a possible repeat (neither Telegram nor a webhook can
// tell us whether the request we never heard back from arrived): a repeat is
// better than the one message that mattered going missing.
//
// Incidents carry times on the boot's monotonic clock and belong to one pm2
// daemon's run (as the restart history does): under another daemon or after a
// reboot they are dropped and the monitor starts from what it sees. Queued
// alerts are kept whatever the owner: they happened, and say when.

export interface JournalOwner {
  readonly bootId: string | null;
  readonly daemonPid: number | null;
}

export interface SavedIncident {
  readonly service: string;
  /** Opened at, on the boot's monotonic clock (util/mono.ts monoNow). */
  readonly openedAtMono: number;
  /** Heals the monitor ordered for it since it opened, up to the save. */
  readonly heals: number;
  readonly quiet: boolean;
  readonly crashLoop: boolean;
  readonly givenUp: boolean;
}

export interface SavedMessage {
  readonly id: string;
  readonly events: readonly AlertEvent[];
  /** An attempt had started when this was saved: it may have arrived. */
  readonly inflight?: boolean;
}

export interface JournalState {
  readonly incidents: readonly SavedIncident[];
  readonly patterns: readonly string[];
  /** Events the rate limit still held. */
  readonly pending: readonly AlertEvent[];
  /** Per channel name, its queue, head first. */
  readonly queues: Readonly<Record<string, readonly SavedMessage[]>>;
}

export const emptyJournal = (): JournalState => ({ incidents: [], patterns: [], pending: [], queues: {} });

export interface AlertJournal {
  load(): JournalState;
  save(state: JournalState): void;
}

interface Saved extends JournalState {
  readonly owner: JournalOwner;
}

export function fileJournal(path: string, owner: JournalOwner, log: (line: string) => void): AlertJournal {
  let last = '';
  return {
    load() {
      let saved: Partial<Saved>;
      try {
        saved = JSON.parse(readFileSync(path, 'utf8')) as Partial<Saved>;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log(`alerts: ignoring ${path}: ${err instanceof Error ? err.message : String(err)}`);
        return emptyJournal();
      }
      const same = saved.owner?.bootId === owner.bootId && saved.owner?.daemonPid === owner.daemonPid;
      const state: JournalState = {
        incidents: same && Array.isArray(saved.incidents) ? saved.incidents : [],
        patterns: same && Array.isArray(saved.patterns) ? saved.patterns : [],
        pending: Array.isArray(saved.pending) ? saved.pending : [],
        queues: saved.queues && typeof saved.queues === 'object' ? saved.queues : {},
      };
      if (!same && Array.isArray(saved.incidents) && saved.incidents.length > 0) log(`alerts: open incidents in ${path} belong to another pm2 daemon or boot; starting from what pm2 shows`);
      return state;
    },
    save(state) {
      const text = JSON.stringify({ owner, ...state } satisfies Saved);
      if (text === last) return;
      try {
        writeFileSync(`${path}.tmp`, text, { mode: 0o600 });
        renameSync(`${path}.tmp`, path);
        last = text;
      } catch (err) {
        log(`alerts: could not save ${path}: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}

/** For tests and for a monitor without PM2_HOME: nothing outlives the process. */
export function memoryJournal(initial: JournalState = emptyJournal()): AlertJournal & { state: JournalState } {
  const j = {
    state: initial,
    load: () => j.state,
    save: (s: JournalState) => void (j.state = JSON.parse(JSON.stringify(s)) as JournalState),
  };
  return j;
}
