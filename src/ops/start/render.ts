import { fmtSeconds } from '../../util/format.js';
import type { StartEvent, StartResult } from './run.js';

// One line per service as `start` goes, with the time from its start to healthy.

export function startPrinter(write: (line: string) => void, width: number): (e: StartEvent) => void {
  const name = (n: string) => n.padEnd(width);
  return (e) => {
    switch (e.type) {
      case 'healthy': {
        // e.ms is this service's own wait (monotonic), not its level's.
        const [state, why] = e.latencyMs !== null ? ['healthy', `probe ${Math.round(e.latencyMs)}ms`] : e.note ? ['up', e.note] : ['online', 'no health check'];
        write(e.wasUp ? `${name(e.service)}  already up, ${state === 'up' ? '' : `${state}, `}${why}` : `${name(e.service)}  ${state} (${why}) in ${fmtSeconds(e.ms)}`);
        return;
      }
      case 'failed':
        write(`${name(e.service)}  NOT healthy after ${fmtSeconds(e.ms)}: ${e.reason}`);
        write(e.logs.length > 0 ? `  last log lines of ${e.service}:` : `  ${e.service} has written no log lines yet`);
        e.logs.forEach((l) => write(l));
        return;
      default:
        return;
    }
  };
}

export function startSummary(r: StartResult, stackName: string, totalMs: number): string {
  if (!r.ok) {
    const skipped = r.skipped.length > 0 ? `; not started: ${r.skipped.join(', ')}` : '';
    const first = r.failed[0] ?? '';
    return `start of ${stackName} stopped: ${r.failed.join(', ')} never became healthy${skipped}\nnext: botstack logs ${first} --errors, fix it, then run botstack start again`;
  }
  const n = r.started.length + r.alreadyUp.length;
  const parts = [`${r.started.length} started`, ...(r.alreadyUp.length > 0 ? [`${r.alreadyUp.length} already up`] : [])];
  return `${stackName}: all ${n} services healthy in ${fmtSeconds(totalMs)} (${parts.join(', ')})`;
}
