import { monoNow } from '../util/mono.js';
import type { Incident, Tracked } from './events.js';
import type { JournalState, SavedIncident } from './journal.js';

// Open incidents to and from the journal. The watch's own clock (timers.now)
// is this process's; the journal's is the boot's monotonic clock, which every
// process on the boot shares, so an incident's age survives the monitor's
// restart. Heals are counted per monitor run (ServiceHealth.healsTotal starts
// at 0), so what is saved is how many the incident has had so far.

export function incidentsToSave(t: Tracked, nowLocal: number, nowBoot = monoNow()): Pick<JournalState, 'incidents' | 'patterns'> {
  const incidents: SavedIncident[] = [];
  for (const [service, inc] of t.incidents) {
    const heals = (t.snaps.get(service)?.heals ?? inc.healsAtOpen) - inc.healsAtOpen;
    incidents.push({ service, openedAtMono: nowBoot - (nowLocal - inc.openedAt), heals, quiet: inc.quiet, crashLoop: inc.crashLoop, givenUp: inc.givenUp });
  }
  return { incidents, patterns: [...t.patterns] };
}

/** A Tracked with the saved incidents open and no snapshots: the first settle compares against nothing, as at any start. */
export function trackedFromSaved(s: Pick<JournalState, 'incidents' | 'patterns'>, nowLocal: number, nowBoot = monoNow()): Tracked {
  const incidents = new Map<string, Incident>();
  for (const i of s.incidents) {
    if (typeof i?.service !== 'string') continue;
    const age = Math.max(0, nowBoot - Number(i.openedAtMono));
    incidents.set(i.service, { openedAt: nowLocal - (Number.isFinite(age) ? age : 0), healsAtOpen: -Math.max(0, Number(i.heals) || 0), quiet: i.quiet === true, crashLoop: i.crashLoop === true, givenUp: i.givenUp === true });
  }
  return { snaps: new Map(), incidents, patterns: new Set(s.patterns.filter((p) => typeof p === 'string')) };
}
