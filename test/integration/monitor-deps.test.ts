import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { health, pids, startBenchStack, waitHealthy, type BenchStack } from '../../scripts/bench-monitor-harness.js';
import { Cleanup } from '../helpers/cleanup.js';
import { waitFor } from '../../src/util/timeout.js';

// mongod down: the api's /health answers 503 (it checks its database), but the
// fault is mongod's. The monitor must blame mongod and leave the api alone.

describe('monitor: a dependency at fault is not blamed on its dependents', () => {
  const cleanup = new Cleanup();
  let b: BenchStack;
  beforeAll(async () => {
    b = await startBenchStack({ cleanup });
  }, 120_000);
  afterAll(() => cleanup.run());

  it('mongod stopped: api is blocked by mongod, never restarted for it, and recovers when mongod is back', async () => {
    const before = await pids(b.d);
    await b.d.client.stop('mongod');
    // The fact that proves the monitor had time to act: the api has been blocked
    // for 5 s of the monitor's own clock (its threshold is 3 probes at 1 s).
    const report = await waitFor('api blocked by mongod for 5 s', async () => {
      const r = await health(b.d);
      const api = r?.services.api;
      return r && api?.state === 'blocked' && Date.parse(r.generatedAt) - Date.parse(api.since) > 5000 ? r : undefined;
    }, { timeoutMs: 30_000, intervalMs: 250 });
    expect(report.services.api).toMatchObject({ blockedBy: 'mongod' });
    expect(report.services.mongod!.state).toBe('stopped');
    const during = await pids(b.d);
    expect(during.api).toEqual(before.api);
    expect(during.web).toEqual(before.web);
    expect(during.bot).toEqual(before.bot);

    await b.d.client.restart('mongod');
    await waitHealthy(b.d, 30_000, ['mongod', 'api', 'web', 'bot']);
    const after = await pids(b.d);
    for (const n of ['api', 'web', 'bot']) expect(after[n]).toEqual(before[n]);
    expect((await health(b.d))!.services.api!.heals).toBe(0);
  });
});
