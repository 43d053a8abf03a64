import { fmtSeconds } from '../../util/format.js';
import type { StopOutcome } from './run.js';

export function stopLine(o: StopOutcome, width: number): string {
  const name = o.service.padEnd(width);
  switch (o.result) {
    case 'absent':
      return `${name}  not in pm2 (never started)`;
    case 'already-stopped':
      return `${name}  already stopped`;
    case 'error':
      return `${name}  STOP FAILED after ${fmtSeconds(o.ms)}: ${o.reason}`;
    case 'stopped':
      return o.killed
        ? `${name}  KILLED after ${fmtSeconds(o.ms)}: it did not exit within its stop timeout (${fmtSeconds(o.stopTimeoutMs)}), so pm2 sent SIGKILL`
        : `${name}  stopped in ${fmtSeconds(o.ms)}`;
  }
}

export function stopSummary(outcomes: readonly StopOutcome[], stackName: string): string {
  const killed = outcomes.filter((o) => o.result === 'stopped' && o.killed).map((o) => o.service);
  const failed = outcomes.filter((o) => o.result === 'error').map((o) => o.service);
  const stopped = outcomes.filter((o) => o.result === 'stopped').length;
  const lines = [`${stackName}: ${stopped} stopped, ${outcomes.length - stopped - failed.length} already down`];
  if (killed.length > 0) lines.push(`had to be killed: ${killed.join(', ')}; check their logs for an unclean shutdown (botstack logs ${killed[0]}) or raise stop.timeout`);
  if (failed.length > 0) lines.push(`could not stop: ${failed.join(', ')}; see pm2's own log: $PM2_HOME/pm2.log`);
  return lines.join('\n');
}
