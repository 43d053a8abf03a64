import type { RestartHistory } from '../monitor/history.js';
import type { ServiceHealth } from '../monitor/health.js';
import type { Stack } from '../stack/types.js';
import { hasChannel } from './config.js';
import { loadAlertConfig } from './load.js';

// What the monitor's main imports (lazily) to learn whether alerts are on: the
// stack's .env and environment are read here, in the monitor's own process, so
// the token never passes through pm2. With no channel configured it returns
// null and nothing else of src/alerts is ever loaded (no http, https, crypto).

export interface MonitorAlerts {
  settled(states: ReadonlyMap<string, ServiceHealth>, history: RestartHistory, now: number): void;
  /** Delivers what is queued for at most ~3 s (the monitor's kill_timeout is 5 s); the rest is journaled for the next start. */
  stop(): Promise<void>;
}

export async function monitorAlerts(
  stack: Stack,
  env: Readonly<Record<string, string | undefined>>,
  policy: { readonly crashWindowMs: number; readonly crashLoopExits: number },
  log: (line: string) => void,
  redact?: (text: string) => string,
): Promise<MonitorAlerts | null> {
  let r: Awaited<ReturnType<typeof loadAlertConfig>>;
  try {
    r = await loadAlertConfig(stack, env);
  } catch (err) {
    log(`alerts: off: cannot read ${stack.envFile}: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
  if (!r.ok) {
    for (const p of r.problems) log(`alerts: off: ${p}`);
    return null;
  }
  if (!hasChannel(r.config)) return null;
  const { AlertWatch } = await import('./watch.js');
  const { journalFor } = await import('./journal-owner.js');
  const { stackRedactor } = await import('../util/secrets.js');
  const journal = journalFor(env, log);
  const watch = new AlertWatch(r.config, stack, policy, log, undefined, undefined, { redact: redact ?? (await stackRedactor(stack, env)), journal });
  watch.start(Number(env.restart_time) || 0, journal.load());
  const to = [r.config.telegram ? `telegram (chat ${r.config.telegram.chat}, token from ${r.config.telegram.tokenFrom})` : '', r.config.webhook ? 'a webhook' : ''].filter(Boolean);
  log(`alerts: on, to ${to.join(' and ')}`);
  return watch;
}
