import { snapshot, treeOf } from '../../util/proctree.js';
import { portHolder } from '../shared/ports.js';
import { fail, ok, type SyncCheck, type CheckResult } from './types.js';

// `lsof -i :27017 :8002 :8003`, answered: each port is held by its own
// service's process tree, or free while the service is down; anything else
// is a conflict named by pid and command line.

export const ports: SyncCheck = (ctx) => {
  const snap = snapshot();
  const out: CheckResult[] = [];
  for (const s of ctx.stack.services) {
    if (s.port === null) continue;
    const proc = ctx.live?.find((p) => p.name === s.name && p.status === 'online' && p.pid > 0);
    const holder = portHolder(s.port);
    const who = holder ? (holder.pid > 0 ? `pid ${holder.pid} (${holder.command ?? '?'})` : 'a process botstack cannot see (another user\'s)') : '';
    const tree = proc ? new Set(treeOf(proc.pid, snap).map((t) => t.pid)) : new Set<number>();
    if (holder && proc && tree.has(holder.pid)) out.push(ok('port', `port ${s.port}: ${s.name} listens (pid ${holder.pid})`));
    else if (holder) out.push(fail('port', `port ${s.port} (${s.name}.port) is held by ${who}, not by ${s.name}${proc ? ` (pm2 pid ${proc.pid})` : ''}`, `stop that process${holder.pid > 0 ? ` (kill ${holder.pid})` : ''} or change ${s.name}.port, then botstack restart ${s.name}`));
    else if (proc) out.push(fail('port', `${s.name} is online (pid ${proc.pid}) but nothing listens on port ${s.port}`, `botstack logs ${s.name} --errors; then botstack restart ${s.name}`));
    else out.push(ok('port', `port ${s.port} is free for ${s.name} (not running)`));
  }
  return out;
};
