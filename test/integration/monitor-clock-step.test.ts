import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { health, pids, startBenchStack, waitHealthy, type BenchStack } from '../../scripts/bench-monitor-harness.js';
import { waitFor } from '../../src/util/timeout.js';
import { Cleanup } from '../helpers/cleanup.js';
import { REPO } from '../helpers/project.js';

// A VPS steps its wall clock at boot (NTP, a hypervisor resync). Here the wall
// clock of the pm2 daemon and of the monitor is stepped an hour ahead, then
// an hour back, while the stack runs (a preload shifts Date; the monotonic
// clocks go on). After each step: no false heal, and a hung api is healed as
// before. Before the monitor ran on the monotonic clock, a step back stalled
// every probe for an hour, and a daemon stamped an hour ahead held a restarted
// service in its start grace for good.

const SHIM = join(REPO, 'test', 'fixtures', 'clock', 'step-wall-clock.cjs');
const HOUR = 3_600_000;
/** A generous bound for one hang -> healthy; the bench measures ~4 s (BENCHMARKS.md). */
const HEAL_BOUND_MS = 20_000;

describe('a wall-clock step of +1 h and -1 h in pm2 and the monitor', () => {
  const cleanup = new Cleanup();
  let b: BenchStack;
  const clockFile = join(mkdtempSync(join(tmpdir(), 'botstack-clock-')), 'offset');
  const saved = { NODE_OPTIONS: process.env.NODE_OPTIONS, BOTSTACK_TEST_CLOCK_FILE: process.env.BOTSTACK_TEST_CLOCK_FILE };
  const step = (ms: number) => writeFileSync(clockFile, String(ms));

  beforeAll(async () => {
    step(0);
    // The daemon is spawned with this process's environment: it, and the node apps it starts, load the shim.
    process.env.NODE_OPTIONS = `${saved.NODE_OPTIONS ?? ''} --require ${SHIM}`.trim();
    process.env.BOTSTACK_TEST_CLOCK_FILE = clockFile;
    cleanup.add(() => {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    });
    b = await startBenchStack({
      cleanup,
      edit: (input) => {
        input.services = input.services.filter((s) => s.name !== 'bot' && s.name !== 'web');
      },
      editApps: (apps) => {
        for (const a of apps) if (a.name === 'monitor') Object.assign(a.env, { NODE_OPTIONS: `--require ${SHIM}`, BOTSTACK_TEST_CLOCK_FILE: clockFile });
      },
    });
  }, 120_000);
  afterAll(() => cleanup.run());

  /** The monitor's wall clock minus ours: the step as the monitor sees it. */
  const monitorSkew = async () => {
    const r = await health(b.d);
    return r ? new Date(r.generatedAt).getTime() - Date.now() : NaN;
  };

  async function hangAndHeal(label: string): Promise<number> {
    const before = await pids(b.d);
    const t0 = performance.now();
    // The api runs under the socket holder: the process that hangs is its uvicorn child, and the heal replaces it.
    const state = join(b.root, 'logs', 'sockhold', 'api', 'state.json');
    const child = () => (JSON.parse(readFileSync(state, 'utf8')) as { child: number }).child;
    const hung = child();
    process.kill(hung, 'SIGSTOP');
    await waitFor(`${label}: api restarted`, () => (child() !== hung ? true : undefined), { timeoutMs: 60_000, intervalMs: 100 });
    await waitHealthy(b.d, 60_000, ['mongod', 'api']);
    const ms = Math.round(performance.now() - t0);
    console.log(`${label}: hang -> healthy in ${ms} ms`);
    expect((await pids(b.d)).mongod).toEqual(before.mongod);
    return ms;
  }

  /** Ten seconds of probing after a step: nobody restarted, every service still healthy. */
  async function noFalseHeal(label: string): Promise<void> {
    const before = await pids(b.d);
    const report0 = await waitHealthy(b.d, 10_000, ['mongod', 'api']);
    const t0 = performance.now();
    while (performance.now() - t0 < 10_000) {
      expect(await pids(b.d), label).toEqual(before);
      await new Promise((r) => setTimeout(r, 500));
    }
    const report = await waitHealthy(b.d, 10_000, ['mongod', 'api']);
    expect(report.services.api!.heals, label).toBe(report0.services.api!.heals);
  }

  it('without a step (the baseline): a hung api is healed', async () => {
    expect(Math.abs(await monitorSkew())).toBeLessThan(60_000);
    expect(await hangAndHeal('no step')).toBeLessThan(HEAL_BOUND_MS);
  });

  it('+1 h: the step reaches the monitor and pm2; no false heal; a hang is healed as before', async () => {
    step(HOUR);
    // Control: the step is real in the monitor (its report's wall time jumps an hour)...
    await waitFor('the monitor sees +1 h', async () => ((await monitorSkew()) > HOUR - 60_000 ? true : undefined), { timeoutMs: 10_000, intervalMs: 200 });
    await noFalseHeal('+1 h');
    expect(await hangAndHeal('+1 h')).toBeLessThan(HEAL_BOUND_MS);
    // ...and in pm2: the process it spawned after the step is stamped an hour ahead. The heal was a
    // rolling restart inside the socket holder, which pm2 did not spawn, so pm2 restarts it here.
    await b.d.client.restart('api', 60_000);
    const api = await b.d.proc('api');
    expect(api.startedAt! - Date.now()).toBeGreaterThan(HOUR - 60_000);
  });

  it('-1 h (back past where it started): no false heal, no stalled probe; a hang is healed as before', async () => {
    step(-HOUR);
    await waitFor('the monitor sees -1 h', async () => ((await monitorSkew()) < -HOUR + 60_000 ? true : undefined), { timeoutMs: 10_000, intervalMs: 200 });
    await noFalseHeal('-1 h');
    expect(await hangAndHeal('-1 h')).toBeLessThan(HEAL_BOUND_MS);
    await b.d.client.restart('api', 60_000);
    const api = await b.d.proc('api');
    expect(Date.now() - api.startedAt!).toBeGreaterThan(HOUR - 60_000);
  });
});
