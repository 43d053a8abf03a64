import type { Pm2Client } from '../../pm2/client.js';
import type { Stack } from '../../stack/types.js';
import { probeOnce } from '../shared/probe-once.js';
import { isRunning } from '../status/health.js';

// Before an unattended deploy: every service it would restart that runs must be
// healthy now, so a failure afterwards is the new code's, and a rollback returns
// to something that worked. Services the operator stopped are not its business.

export async function unhealthyNow(client: Pm2Client, stack: Stack, names: readonly string[]): Promise<string[]> {
  const list = await client.list();
  const out = await Promise.all(
    names.map(async (name) => {
      const s = stack.services.find((x) => x.name === name);
      const p = list.find((x) => x.name === name);
      if (!s || !isRunning(p)) return null;
      if (p?.status !== 'online') return `${name} is ${p?.status ?? 'unknown'}`;
      const r = await probeOnce(s);
      return r && !r.ok ? `${name} is not healthy (${s.health.type} probe: ${r.reason})` : null;
    }),
  );
  return out.filter((x): x is string => x !== null);
}
