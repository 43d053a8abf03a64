import { isHeld } from '../stack/launch-held.js';
import { controlDir, readHolderState } from '../stack/rolling.js';
import type { Stack } from '../stack/types.js';
import type { RestartCause, RestartHistory } from './history.js';

// Rolling restarts into the restart history. A roll replaces the service's
// uvicorn while pm2's process, the socket holder, keeps running: pm2's restart
// count does not move and its bus says nothing. The holder counts its rolls in
// its state file (runtime/sockhold.py); each new successful one becomes a
// restart here, by cause: the monitor's own heal is a heal, a deploy, a
// `botstack restart` or a rollback is an operator's (manual) restart. Read on
// the monitor's pm2-list grid (every 15 s), so a record's time is at most that late.

const CAUSE: Readonly<Record<string, RestartCause>> = { heal: 'heal', deploy: 'manual', restart: 'manual', rollback: 'manual' };

export class RollFeed {
  /** Rolls already counted, per service (the holder's running total). */
  private readonly seen = new Map<string, number>();
  private polled = false;

  constructor(
    private readonly stack: Stack,
    private readonly history: RestartHistory,
    private readonly read: (dir: string) => ReturnType<typeof readHolderState> = readHolderState,
  ) {}

  /** Records the rolls since the last poll; the first poll of a holder only sets the baseline. */
  poll(now: number): number {
    let added = 0;
    for (const s of this.stack.services) {
      if (!isHeld(s)) continue;
      const st = this.read(controlDir(this.stack.logDir, s.name));
      if (!st) continue;
      const key = `${s.name}:${st.pid}`;
      // A holder first seen after the monitor's first poll is a new one (pm2 restarted it): count from 0.
      const before = this.seen.get(key) ?? (this.polled ? 0 : undefined);
      this.seen.set(key, st.rolls);
      if (before === undefined || st.rolls <= before) continue;
      // `last` holds the most recent rolls; the new ones are its tail.
      for (const r of st.last.slice(-(st.rolls - before))) {
        if (!r.ok) continue;
        this.history.rolled(s.name, CAUSE[r.cause] ?? 'manual', now);
        added++;
      }
    }
    this.polled = true;
    return added;
  }
}
