import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pm2App } from '../../src/stack/compile.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBenchStack, type BenchStack } from '../../scripts/bench-monitor-harness.js';
import { waitFor } from '../../src/util/timeout.js';
import { Cleanup } from '../helpers/cleanup.js';
import { freePort } from '../helpers/ports.js';
import { parseExposition, promtoolCheck, valueOf } from '../unit/metrics/promtool.js';

// The monitor as pm2 runs it (dist/: build first) with BOTSTACK_METRICS set,
// on the fixture stack: real uvicorn, the mongod stand-in, a temp PM2_HOME.
// A scraper sees api go down when its process is frozen (SIGSTOP: the port
// still accepts, nothing answers) and come back after the monitor's heal.

async function scrape(url: string): Promise<string | undefined> {
  const r = await fetch(url, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
  return r?.status === 200 ? r.text() : undefined;
}

async function until(url: string, what: string, pred: (text: string) => boolean, timeoutMs = 45_000): Promise<string> {
  return waitFor(what, async () => {
    const t = await scrape(url);
    return t !== undefined && pred(t) ? t : undefined;
  }, { timeoutMs, intervalMs: 250 });
}

const v = (text: string, name: string, labels: Record<string, string> = {}) => valueOf(parseExposition(text), name, labels);

describe('/metrics from a real monitor under pm2', () => {
  const cleanup = new Cleanup();
  let b: BenchStack;
  let url: string;
  let frozen = 0;
  let monitorApp: Pm2App | undefined;
  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}/metrics`;
    b = await startBenchStack({
      cleanup,
      editApps: (apps) => {
        const m = apps.find((a) => a.name === 'monitor')!;
        (m as { env: Record<string, string> }).env = { ...m.env, BOTSTACK_METRICS: String(port) };
        monitorApp = m;
      },
    });
    // A frozen process left behind would hold its port: thaw it first, the daemon's kill follows.
    cleanup.add(() => {
      if (frozen > 0) try { process.kill(frozen, 'SIGCONT'); } catch { /* gone */ }
    });
  }, 120_000);
  afterAll(() => cleanup.run());

  it('serves every service as up, in text promtool accepts, on loopback', async () => {
    const text = await until(url, 'all four up', (t) => ['mongod', 'api', 'web', 'bot'].every((s) => v(t, 'botstack_service_up', { service: s }) === 1));
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
    expect(v(text, 'botstack_monitor_up')).toBe(1);
    // Memory of a real uvicorn tree: more than 10 MB.
    expect(v(text, 'botstack_service_memory_bytes', { service: 'api' })).toBeGreaterThan(10e6);
    const mon = await b.d.proc('monitor');
    expect(readFileSync(mon.outFile!, 'utf8')).toContain(`serving Prometheus metrics on ${url.replace('/metrics', '')}/metrics`);
    expect(readFileSync(mon.errFile!, 'utf8')).toBe('');
  });

  it('a hung api: up goes to 0, then back to 1 after the heal; heals and restarts count it', async () => {
    const before = await until(url, 'api up', (t) => v(t, 'botstack_service_up', { service: 'api' }) === 1);
    const heals0 = v(before, 'botstack_heals_total', { service: 'api' })!;
    const count0 = Number(/botstack_probe_duration_seconds_count\{service="api"\} (\d+)/.exec(before)![1]);
    // The api runs under the socket holder: freeze its uvicorn, the holder's child; the heal's roll reaches the
    // restart history through the holder's state file on the monitor's 15 s pm2-list grid.
    frozen = (JSON.parse(readFileSync(join(b.root, 'logs', 'sockhold', 'api', 'state.json'), 'utf8')) as { child: number }).child;
    process.kill(frozen, 'SIGSTOP');
    const down = await until(url, 'api up = 0', (t) => v(t, 'botstack_service_up', { service: 'api' }) === 0);
    expect(v(down, 'botstack_service_up', { service: 'web' })).toBe(1);
    // The restart's exit reaches the monitor over pm2's bus, drained once a second: it may land a moment after the
    // probe that sees the new process healthy, so the scrape waits for all three facts.
    const healed = await until(
      url,
      'api up = 1 again, after a heal, with the restart counted',
      (t) => v(t, 'botstack_service_up', { service: 'api' }) === 1 && v(t, 'botstack_heals_total', { service: 'api' })! > heals0 && (v(t, 'botstack_service_restarts_total', { service: 'api', cause: 'heal' }) ?? 0) >= 1,
      60_000,
    );
    frozen = 0;
    expect(v(healed, 'botstack_heals_total', { service: 'api' })).toBe(heals0 + 1);
    expect(v(healed, 'botstack_service_restarts_total', { service: 'api', cause: 'heal' })).toBeGreaterThanOrEqual(1);
    expect(Number(/botstack_probe_duration_seconds_count\{service="api"\} (\d+)/.exec(healed)![1])).toBeGreaterThan(count0);
    // The timed-out probes landed in the top buckets: more above 0.5 s than before.
    const slow = (t: string) => Number(/botstack_probe_duration_seconds_count\{service="api"\} (\d+)/.exec(t)![1]) - Number(/botstack_probe_duration_seconds_bucket\{service="api",le="0.5"\} (\d+)/.exec(t)![1]);
    expect(slow(healed)).toBeGreaterThan(slow(before));
    expect(promtoolCheck(healed)).toEqual({ status: 0, output: '' });
  });

  it('a bad BOTSTACK_METRICS: one error line, and the monitor stays up (no crash loop) and watches the stack', async () => {
    const bad = { ...monitorApp!, name: 'monitor-bad', env: { ...monitorApp!.env, BOTSTACK_METRICS: 'localhost:metrics' } };
    await b.d.client.start([bad]);
    const errFile = (await b.d.proc('monitor-bad')).errFile!;
    await waitFor('the error line', () => (existsSync(errFile) && readFileSync(errFile, 'utf8').includes('BOTSTACK_METRICS="localhost:metrics"') ? true : undefined), { timeoutMs: 30_000, intervalMs: 100 });
    const outFile = (await b.d.proc('monitor-bad')).outFile!;
    await waitFor('monitor-bad watching', () => (readFileSync(outFile, 'utf8').includes('monitor: watching') ? true : undefined), { timeoutMs: 30_000, intervalMs: 100 });
    const p = await b.d.proc('monitor-bad');
    expect([p.status, p.restarts]).toEqual(['online', 0]);
    expect(readFileSync(errFile, 'utf8').trim().split('\n')).toHaveLength(1);
    await b.d.client.delete('monitor-bad');
  });
});
