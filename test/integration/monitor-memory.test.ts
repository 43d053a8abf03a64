import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { health, pids, startBenchStack, type BenchStack } from '../../scripts/bench-monitor-harness.js';
import { Cleanup } from '../helpers/cleanup.js';
import { waitFor } from '../../src/util/timeout.js';
import { pidAlive } from '../../src/util/proctree.js';

// pm2 measures only an app's main process, every 30 s. The api's child grows
// past the api's limit: the monitor sums the whole tree and restarts it.

describe('monitor: memory over the whole process tree', () => {
  const cleanup = new Cleanup();
  let b: BenchStack;
  beforeAll(async () => {
    b = await startBenchStack({
      cleanup,
      edit: (input) => {
        const api = input.services.find((s) => s.name === 'api') as { limits?: object };
        api.limits = { memory: '160M' };
      },
    });
  }, 120_000);
  afterAll(() => cleanup.run());

  it('a child holding 200 MiB puts the api over its 160 MiB limit: restarted, only the api', async () => {
    const before = await pids(b.d);
    // The api runs under the socket holder: the heal rolls its uvicorn (pm2's pid stays), and the pid that answers changes.
    const served = async () => {
      const h = await fetch(`http://127.0.0.1:${b.ports.api}/health`, { signal: AbortSignal.timeout(500) }).catch(() => undefined);
      return h?.ok ? ((await h.json()) as { pid: number }).pid : undefined;
    };
    const servedBefore = await served();
    const r = await fetch(`http://127.0.0.1:${b.ports.api}/control/grow/200`, { method: 'POST' });
    const child = ((await r.json()) as { child: number }).child;
    const t0 = Date.now();
    await waitFor('api restarted', async () => {
      const now = await served();
      return now !== undefined && now !== servedBefore ? true : undefined;
    }, { timeoutMs: 30_000, intervalMs: 100 });
    console.log(`memory over limit -> restart: ${Date.now() - t0} ms (includes the child filling its memory)`);
    // The holder took the old uvicorn's process group, the child with it, as pm2's treekill would have.
    await waitFor('child gone', () => (pidAlive(child) ? undefined : true), { timeoutMs: 20_000 });
    const after = await pids(b.d);
    for (const n of ['mongod', 'web', 'bot']) expect(after[n]).toEqual(before[n]);
    const report = await waitFor('api healthy', async () => {
      const h = await health(b.d);
      return h?.services.api?.state === 'healthy' ? h : undefined;
    }, { timeoutMs: 30_000, intervalMs: 250 });
    expect(report.services.api!.heals).toBe(1);
  });
});

