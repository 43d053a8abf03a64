import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { health, pids, startBenchStack, type BenchStack } from '../../scripts/bench-monitor-harness.js';
import { Cleanup } from '../helpers/cleanup.js';
import { waitFor } from '../../src/util/timeout.js';

// A service that exits 1.2 s after every start. pm2 would let it loop until
// max_restarts (and in production, where exits are spread by backoff or come
// after min_uptime, forever); the monitor caps it at 5 exits in 5 minutes.

describe('monitor: a pm2-side crash loop is capped', () => {
  const cleanup = new Cleanup();
  let b: BenchStack;
  beforeAll(async () => {
    b = await startBenchStack({
      cleanup,
      edit: (input) => {
        (input.services as unknown[]).push({ name: 'flaky', kind: 'command', command: process.execPath, args: ['-e', 'setTimeout(() => process.exit(3), 1200)'] });
      },
    });
  }, 120_000);
  afterAll(() => cleanup.run());

  it('flaky ends given-up and stopped, with the reason in the report; the others are untouched', async () => {
    const before = await pids(b.d);
    const report = await waitFor('flaky given up', async () => {
      const r = await health(b.d);
      return r?.services.flaky?.state === 'given-up' ? r : undefined;
    }, { timeoutMs: 60_000, intervalMs: 250 });
    expect(report.services.flaky!.lastError).toContain('crash loop');
    await b.d.until('flaky stopped', (l) => l.find((p) => p.name === 'flaky')?.status === 'stopped', 30_000);
    const mon = await b.d.until('metrics say given-up', (l) => l.find((p) => p.name === 'monitor')?.metrics['flaky state'] === 'given-up', 10_000);
    expect(mon.find((p) => p.name === 'monitor')!.metrics['flaky state']).toBe('given-up');
    const after = await pids(b.d);
    for (const n of ['mongod', 'api', 'web', 'bot']) expect(after[n]).toEqual(before[n]);
    for (const n of ['mongod', 'api', 'web', 'bot']) expect(report.services[n]!.state).toBe('healthy');
  });
});
