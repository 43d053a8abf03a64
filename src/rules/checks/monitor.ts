import type { Stack } from '../../stack/types.js';
import type { Finding } from '../types.js';

// Healing is botstack's job, and the monitor does it: without one, a hung
// service (alive, not answering) is never probed, restarted or alerted on, and
// `start` still reports every service healthy. The schema adds a monitor to
// every stack, so a stack has none only when it says `monitor: false`.

/** no-monitor: the stack runs without the health monitor. */
export function noMonitor(stack: Stack, text: string, file: string): Finding[] {
  if (stack.services.some((s) => s.kind === 'monitor')) return [];
  const at = text.split('\n').findIndex((l) => /^\s*monitor\s*:\s*false\b/.test(l));
  return [
    {
      rule: 'no-monitor',
      severity: 'warning',
      file,
      line: at >= 0 ? at + 1 : null,
      service: null,
      message: `stack ${stack.name} runs without the health monitor (monitor: false): a service that hangs while its process lives is never probed, healed or alerted on; pm2 only restarts a process that exits`,
      fix: "remove `monitor: false` (botstack then adds the monitor), or add { name: 'monitor', kind: 'monitor' } to services",
    },
  ];
}
