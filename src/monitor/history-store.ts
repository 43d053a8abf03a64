import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { RestartRecord } from './history.js';

// Restart history outlives the monitor: a restart of the monitor (a deploy,
// `pm2 restart all`, a crash) must not wipe the record that periodic-restart
// detection needs hours of. One small JSON file in PM2_HOME, written whole
// (temp file, then rename) at most once a second and only after a change.

export interface HistoryStore {
  /** What was saved, or [] (with the reason logged) when there is nothing usable. */
  load(): unknown;
  save(records: readonly RestartRecord[]): void;
}

export function fileHistoryStore(path: string, log: (line: string) => void): HistoryStore {
  return {
    load() {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        return [];
      }
      try {
        return JSON.parse(text) as unknown;
      } catch (err) {
        log(`monitor: ignoring restart history ${path}: not JSON (${err instanceof Error ? err.message : String(err)}); starting a new one`);
        return [];
      }
    },
    save(records) {
      try {
        writeFileSync(`${path}.tmp`, JSON.stringify(records));
        renameSync(`${path}.tmp`, path);
      } catch (err) {
        log(`monitor: could not save restart history to ${path}: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}
