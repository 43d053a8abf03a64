import { DEFAULT_POLICY, type HealPolicy } from '../policy.js';

// BOTSTACK_MONITOR_POLICY='{"maxHeals":100,"healWindowMs":1000}' overrides the
// numeric heal limits, for both drivers' monitors. (The pm2 monitor's main.ts
// has its own copy until the house move lets it import this one.)

const NUMERIC = ['maxHeals', 'healWindowMs', 'healBackoffMs', 'healBackoffMaxMs', 'crashLoopExits', 'crashWindowMs', 'startingIntervalMs'] as const;

export function readPolicyEnv(env: NodeJS.ProcessEnv): HealPolicy {
  const raw = env.BOTSTACK_MONITOR_POLICY;
  if (!raw) return DEFAULT_POLICY;
  const given = JSON.parse(raw) as Record<string, unknown>;
  for (const [k, v] of Object.entries(given)) {
    if (!(NUMERIC as readonly string[]).includes(k) || typeof v !== 'number' || v < 0) throw new Error(`BOTSTACK_MONITOR_POLICY.${k}=${JSON.stringify(v)}: expected one of ${NUMERIC.join(', ')} with a number >= 0`);
  }
  return { ...DEFAULT_POLICY, ...(given as Partial<HealPolicy>) };
}
