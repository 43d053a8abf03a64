import { DEFAULT_POLICY, type HealPolicy } from './policy.js';

// BOTSTACK_MONITOR_POLICY='{"maxHeals":100,"healWindowMs":1000}' overrides the
// numeric heal limits (benchmarks repeat a heal 20 times), for both drivers'
// monitors (main.ts for pm2, docker/main.ts); unknown keys are refused.

const NUMERIC = ['maxHeals', 'healWindowMs', 'healBackoffMs', 'healBackoffMaxMs', 'crashLoopExits', 'crashWindowMs', 'startingIntervalMs'] as const;

export function readPolicyEnv(env: NodeJS.ProcessEnv, error: (message: string) => Error = (m) => new Error(m)): HealPolicy {
  const raw = env.BOTSTACK_MONITOR_POLICY;
  if (!raw) return DEFAULT_POLICY;
  const given = JSON.parse(raw) as Record<string, unknown>;
  for (const [k, v] of Object.entries(given)) {
    if (!(NUMERIC as readonly string[]).includes(k) || typeof v !== 'number' || v < 0) throw error(`BOTSTACK_MONITOR_POLICY.${k}=${JSON.stringify(v)}: expected one of ${NUMERIC.join(', ')} with a number >= 0`);
  }
  return { ...DEFAULT_POLICY, ...(given as Partial<HealPolicy>) };
}
