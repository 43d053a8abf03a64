import type { StatusReport } from './types.js';
import { fmtBytes, fmtDuration, table } from '../../util/format.js';

// `botstack status` as text: one row per service, then the stack in one word.

const HEAD = ['NAME', 'STATUS', 'PID', 'UPTIME', 'RESTARTS', 'MEMORY', 'CPU', 'HEALTH', 'LATENCY', 'WATCH'];

function row(s: StatusReport['services'][number]): string[] {
  const lastHour = s.restartsLastHour === null ? '' : ` (${s.restartsLastHour}/h)`;
  return [
    s.name,
    s.status,
    s.pid > 0 ? String(s.pid) : '-',
    s.pid > 0 ? fmtDuration(s.uptimeMs) : '-',
    `${s.restarts}${lastHour}`,
    s.pid > 0 ? fmtBytes(s.memoryBytes) : '-',
    s.pid > 0 ? `${s.cpu}%` : '-',
    s.health,
    s.latencyMs === null ? '-' : `${Math.round(s.latencyMs)}ms`,
    s.watch ? 'ON' : 'off',
  ];
}

function banner(r: StatusReport, reloading: readonly string[]): string[] {
  if (r.profile !== 'development') return [];
  const what = reloading.length > 0 ? `uvicorn --reload is ON for ${reloading.join(', ')}: every file change restarts them` : 'no service reloads';
  return ['!!! DEVELOPMENT PROFILE: ' + what + ' !!!', '!!! never run this on the server: unset BOTSTACK_ENV !!!', ''];
}

export function renderStatus(r: StatusReport, stackName: string, reloading: readonly string[] = []): string {
  const out = [...banner(r, reloading), table([HEAD, ...r.services.map(row)]), ''];
  const failing = r.services.filter((s) => s.lastError && s.health !== 'healthy');
  for (const s of failing) out.push(`${s.name}: ${s.lastError}`);
  for (const s of r.services) if (s.note && s.health === 'healthy') out.push(`${s.name}: ${s.note}`);
  const h = r.host;
  const disk = h.diskFreeBytes === null ? 'unknown' : fmtBytes(h.diskFreeBytes);
  out.push(`stack ${stackName}: ${r.stack.toUpperCase()}  (profile ${r.profile}, health from ${r.healthSource})`);
  out.push(`host: memory ${fmtBytes(h.memFreeBytes)} free of ${fmtBytes(h.memTotalBytes)}; disk ${disk} free at ${h.logDir}`);
  return out.join('\n') + '\n';
}
