import { homedir } from 'node:os';
import { join } from 'node:path';
import { runOwner } from '../util/run-owner.js';
import { fileJournal, type AlertJournal } from './journal.js';

// The monitor's alert journal: <PM2_HOME>/botstack-alerts.json, beside the
// restart history (botstack-restarts.json) and owned the same way: this boot
// and the pm2 daemon by its pid (monitor/history-store.ts).

export const JOURNAL_FILE = 'botstack-alerts.json';

/** pm2's own rule (pm2/client.ts pm2Home), repeated so the monitor's alerts load nothing of the pm2 client. */
const home = (env: Readonly<Record<string, string | undefined>>): string => env.PM2_HOME ?? join(env.HOME ?? homedir(), '.pm2');

export function journalFor(env: Readonly<Record<string, string | undefined>>, log: (line: string) => void): AlertJournal {
  const dir = home(env);
  return fileJournal(join(dir, JOURNAL_FILE), runOwner(dir), log);
}
