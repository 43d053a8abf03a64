import { statSync } from 'node:fs';
import { ok, warn, type CheckResult, type SyncCheck } from './types.js';

// A heartbeat is optional: a service that never writes one is supervised by
// pm2 alone (restarted when it exits), and the monitor never restarts it for
// a missing file. doctor says which services are in that state, and how to
// let the monitor see hangs too. Ages here are for display (wall clock).

export const heartbeats: SyncCheck = (ctx) => {
  const out: CheckResult[] = [];
  for (const s of ctx.stack.services) {
    if (s.health.type !== 'heartbeat') continue;
    const { file, maxAgeMs } = s.health;
    let mtimeMs: number;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      out.push(warn('heartbeat', `${s.name}: heartbeat not set up (${file} does not exist): pm2 restarts ${s.name} if it exits, but a hang goes unseen`, `optional: add the heartbeat task to ${s.name} (docs/heartbeat.md); nothing else changes`));
      continue;
    }
    const ageS = Math.max(0, Math.round((Date.now() - mtimeMs) / 1000));
    if (ageS * 1000 <= maxAgeMs) out.push(ok('heartbeat', `${s.name}: heartbeat file touched ${ageS} s ago`));
    else out.push(warn('heartbeat', `${s.name}: heartbeat file ${file} was last touched ${ageS} s ago (max ${Math.round(maxAgeMs / 1000)} s)`, `if ${s.name} still writes it, it is hung: botstack restart ${s.name}; if its heartbeat code was removed, delete ${file}`));
  }
  return out;
};
