import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { health, pids, startBenchStack, tail, waitHealthy, type BenchStack } from '../../scripts/bench-monitor-harness.js';
import { Cleanup } from '../helpers/cleanup.js';
import { REPO } from '../helpers/project.js';
import { waitFor } from '../../src/util/timeout.js';

// The monitor as pm2 runs it (dist/, so `npm run build` first), on the fixture
// stack: real uvicorn apps, the mongod stand-in, a temp PM2_HOME. Bounds here
// are generous; scripts/bench-monitor-hang.ts holds the real figures.

const run = promisify(execFile);
const PM2_BIN = join(REPO, 'node_modules', '.bin', 'pm2');
const SERVICES = ['mongod', 'api', 'web', 'bot'];

const post = (url: string) => fetch(url, { method: 'POST', signal: AbortSignal.timeout(500) }).then(() => undefined, () => undefined);

async function answers200(url: string): Promise<true | undefined> {
  const r = await fetch(url, { signal: AbortSignal.timeout(500) }).catch(() => undefined);
  return r?.status === 200 ? true : undefined;
}

describe('monitor heals through pm2 (fixture stack, real pm2)', () => {
  const cleanup = new Cleanup();
  let b: BenchStack;
  let apiUrl: string;
  beforeAll(async () => {
    b = await startBenchStack({ cleanup });
    apiUrl = `http://127.0.0.1:${b.ports.api}`;
  }, 120_000);
  afterAll(() => cleanup.run());

  it('`pm2 trigger monitor health` replies with a report for every service', async () => {
    // pm2 loaded in this process marks the environment programmatic/silent; the CLI must not inherit that.
    const { PM2_PROGRAMMATIC: _p, PM2_SILENT: _s, ...parent } = process.env;
    const { stdout } = await run(PM2_BIN, ['trigger', 'monitor', 'health'], { env: { ...parent, PM2_HOME: b.d.home }, timeout: 30_000 });
    for (const name of SERVICES) expect(stdout).toContain(name);
    const report = await health(b.d);
    expect(Object.keys(report!.services).sort()).toEqual([...SERVICES].sort());
    for (const s of Object.values(report!.services)) {
      expect(Object.keys(s)).toEqual(expect.arrayContaining(['state', 'latencyMs', 'failures', 'heals', 'restarts', 'lastError', 'since']));
    }
    expect(report!.paused).toBe(false);
    // Metrics reach pm2's list (what `pm2 monit` / `pm2 show monitor` read).
    // @pm2/io sends metrics once a second, so the first ones pm2 holds may predate the report.
    const mon = await b.d.until('monitor metrics: 4 healthy', (l) => l.find((p) => p.name === 'monitor')?.metrics['services healthy'] === 4, 10_000);
    expect(mon.find((p) => p.name === 'monitor')!.metrics).toMatchObject({ 'api state': 'healthy', 'services unhealthy': 0 });
    // A healthy start leaves the monitor's error log empty: no V8 flag warning, and no
    // "[PM2][ERROR] OpenTelemetry ..." from @pm2/io misreading `tracing: false`.
    const errLog = mon.find((p) => p.name === 'monitor')!.errFile!;
    expect(readFileSync(errLog, 'utf8')).toBe('');
  });

  it('`probe <service>` probes now; pause and resume switch healing off and on', async () => {
    expect(await b.d.client.trigger('monitor', 'probe', 'api')).toMatchObject({ service: 'api', ok: true });
    expect(await b.d.client.trigger('monitor', 'pause')).toEqual({ paused: true });
    expect((await health(b.d))!.paused).toBe(true);
    expect(await b.d.client.trigger('monitor', 'resume')).toEqual({ paused: false });
  });

  // The api runs under the socket holder (docs/zero-downtime.md): a heal rolls its
  // uvicorn, so pm2's pid stays and the pid that answers /health changes.
  const servedPid = async () => {
    const r = await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(500) }).catch(() => undefined);
    return r?.status === 200 ? ((await r.json()) as { pid: number }).pid : undefined;
  };

  it('a hung api (event loop blocked) is restarted, only it, and healthy again within its bound', async () => {
    const before = await pids(b.d);
    const served = await servedPid();
    const t0 = Date.now();
    void post(`${apiUrl}/control/hang`);
    await waitFor('api restarted', async () => {
      const now = await servedPid();
      return now !== undefined && now !== served ? true : undefined;
    }, { timeoutMs: 20_000, intervalMs: 100 });
    await waitFor('api answers 200', () => answers200(`${apiUrl}/health`), { timeoutMs: 20_000, intervalMs: 50 });
    const ms = Date.now() - t0;
    console.log(`hang -> healthy: ${ms} ms`);
    expect(ms).toBeLessThan(15_000);
    const after = await pids(b.d);
    for (const n of ['mongod', 'web', 'bot']) expect(after[n]).toEqual(before[n]);
    const report = await waitHealthy(b.d, 20_000, SERVICES);
    expect(report.services.api!.heals).toBe(1);
    expect(after.api).toEqual(before.api);
    expect(tail((await b.d.proc('monitor')).outFile, 40)).toMatch(/api healed by a rolling restart: pid \d+ serves on the same socket, the old one SIGKILLed/);
  });

  it('TCP open but HTTP failing (500): healed', async () => {
    const before = await pids(b.d);
    const served = await servedPid();
    await fetch(`${apiUrl}/control/fail`, { method: 'POST' });
    await waitFor('api restarted', async () => {
      const now = await servedPid();
      return now !== undefined && now !== served ? true : undefined;
    }, { timeoutMs: 30_000, intervalMs: 100 });
    const report = await waitHealthy(b.d, 20_000, SERVICES);
    expect(report.services.api!.heals).toBe(2);
    const after = await pids(b.d);
    for (const n of ['mongod', 'web', 'bot']) expect(after[n]).toEqual(before[n]);
  });

  it('the monitor killed: pm2 restarts it, and it resumes without restarting anyone, keeping its restart history', async () => {
    const before = await pids(b.d);
    // The heals above restarted the api; the monitor saves its history within a second.
    const restartsBefore = (await health(b.d))!.services.api!.restarts;
    expect(restartsBefore).toBeGreaterThan(0);
    // The history is saved at most once a second: kill only once the file holds those restarts.
    await waitFor('the restart history saved', async () => {
      try {
        const saved = JSON.parse(readFileSync(join(b.d.home, 'botstack-restarts.json'), 'utf8')) as { records?: { name: string }[] };
        return (saved.records ?? []).filter((r) => r.name === 'api').length >= restartsBefore || undefined;
      } catch {
        return undefined;
      }
    }, { timeoutMs: 10_000, intervalMs: 100 });
    await b.d.client.signalId('SIGKILL', (await b.d.proc('monitor')).pmId);
    await b.d.until('monitor back', (l) => {
      const m = l.find((p) => p.name === 'monitor');
      return !!m && m.status === 'online' && m.pid !== before.monitor![0];
    });
    await waitHealthy(b.d, 30_000, SERVICES);
    // Several probe rounds after it came back: still nobody restarted.
    const report = await waitFor('5 s of monitor uptime', async () => {
      const m = await b.d.proc('monitor');
      const r = await health(b.d);
      return r && m.startedAt && Date.now() - m.startedAt > 5000 ? r : undefined;
    }, { timeoutMs: 30_000, intervalMs: 250 });
    const after = await pids(b.d);
    for (const n of SERVICES) expect(after[n]).toEqual(before[n]);
    for (const n of SERVICES) expect(report.services[n]!.state).toBe('healthy');
    expect(report.services.api!.restarts).toBe(restartsBefore);
  });
});
