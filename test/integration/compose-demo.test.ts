import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from '../helpers/cleanup.js';
import type { Compose, Inspect } from '../helpers/compose.js';
import { dockerSkipReason, type Docker } from '../helpers/docker.js';
import { composeProject, demoCopy, dockerWithImages, exportCompose } from '../helpers/docker-suite.js';
import { freePorts } from '../helpers/ports.js';

// The demo's Compose export, run for real: a private dockerd, the base images
// built here from Debian, `docker-compose up -d --build` (Debian's 1.29, the
// legacy builder). Then what the export promises: every container healthy in
// dependsOn order, ports on 127.0.0.1 only, mongod's data kept across down/up,
// and botstack's monitor healing a paused api (and nothing else), restarting
// no dependent while mongod is down. The control is the same file with the
// monitor scaled to 0: a paused api stays paused and unhealthy.

const skip = await dockerSkipReason();
const APPS = ['mongod', 'api', 'web', 'bot'] as const;
const started = (c: Inspect): number => Date.parse(c.State.StartedAt);

describe.skipIf(skip !== null)('the demo exported to Compose, on a real Docker', () => {
  const cleanup = new Cleanup();
  let d: Docker;
  let c: Compose;
  const report = async (): Promise<{ services: Record<string, { state: string; heals: number; blockedBy?: string }> }> => JSON.parse((await d.docker(['exec', (await c.id('monitor'))!, 'cat', '/tmp/botstack/report.json'])).stdout);

  beforeAll(async () => {
    d = await dockerWithImages(cleanup);
    const [api, web] = await freePorts(2);
    const demo = demoCopy({ api: api!, web: web! });
    const out = mkdtempSync(join(tmpdir(), 'botstack-compose-out-'));
    await exportCompose(demo.config, out);
    c = composeProject(d, cleanup, out, 'demo');
  }, 600_000);
  afterAll(() => cleanup.run(), 120_000);

  it('up --build: every container healthy, in dependsOn order; the monitor sees them all healthy', async () => {
    await c.run(['up', '-d', '--build']);
    await c.untilHealthy(APPS, 120_000);
    const [mongod, api, web, bot] = await Promise.all(APPS.map((s) => c.inspect(s)));
    // depends_on: service_healthy: api starts after mongod's first passing check, web and bot after api's.
    const firstPass = (x: Inspect): number => Math.min(...(x.State.Health?.Log ?? []).filter((l) => l.ExitCode === 0).map((l) => Date.parse(l.End)));
    expect(started(api!)).toBeGreaterThanOrEqual(firstPass(mongod!));
    expect(started(web!)).toBeGreaterThanOrEqual(started(api!));
    expect(started(bot!)).toBeGreaterThanOrEqual(started(api!));
    // The demo bot touches its heartbeat; the bot of the user's stack (compose-user) never does.
    await c.until('the monitor reporting all four healthy', async () => Object.values((await report()).services).every((s) => s.state === 'healthy'), 30_000, 500);
  }, 300_000);

  it('publishes the HTTP ports on 127.0.0.1 only, and mongod none', async () => {
    for (const s of ['api', 'web']) {
      const bindings = Object.values((await c.inspect(s)).NetworkSettings.Ports).flatMap((b) => b ?? []);
      expect(bindings.length, s).toBeGreaterThan(0);
      for (const b of bindings) expect(b.HostIp, s).toBe('127.0.0.1');
    }
    expect(Object.values((await c.inspect('mongod')).NetworkSettings.Ports).flatMap((b) => b ?? [])).toEqual([]);
  });

  it('a paused api is restarted by the monitor within 15 s; web and bot are not restarted', async () => {
    const before = Object.fromEntries(await Promise.all(['api', 'web', 'bot'].map(async (s) => [s, await c.inspect(s)] as const)));
    await d.docker(['pause', before.api!.Id]);
    const t0 = Date.now();
    const healed = await c.until('api restarted', async () => {
      const now = await c.inspect('api');
      return started(now) > started(before.api!) && !now.State.Paused ? now : null;
    }, 15_000);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(healed.State.Running).toBe(true);
    await c.untilHealthy(['api'], 60_000);
    for (const s of ['web', 'bot']) expect(started(await c.inspect(s)), s).toBe(started(before[s]!));
    expect((await report()).services.api!.heals).toBe(1);
  }, 120_000);

  it('mongod stopped: api is blocked, not restarted; no dependent is restarted; mongod back, api healthy again without a restart', async () => {
    const before = Object.fromEntries(await Promise.all(['api', 'web', 'bot'].map(async (s) => [s, started(await c.inspect(s))] as const)));
    await c.run(['stop', 'mongod']);
    await c.until('api blocked by mongod in the report', async () => (await report()).services.api!.blockedBy === 'mongod', 30_000, 500);
    // Longer than api's failure threshold several times over (1 s probes, 3 failures).
    const watchUntil = Date.now() + 12_000;
    await c.until('12 s of the outage', async () => Date.now() > watchUntil, 20_000, 1000);
    for (const s of ['api', 'web', 'bot']) expect(started(await c.inspect(s)), s).toBe(before[s]);
    await c.run(['start', 'mongod']);
    await c.untilHealthy(APPS, 90_000);
    expect(started(await c.inspect('api'))).toBe(before.api);
  }, 180_000);

  it('the control, the same file with the monitor scaled to 0: a paused api stays paused and unhealthy', async () => {
    await c.run(['up', '-d', '--scale', 'monitor=0']);
    await c.until('no monitor', async () => (await c.id('monitor')) === null, 30_000);
    const api = await c.inspect('api');
    await d.docker(['pause', api.Id]);
    await c.until('Docker marking the paused api unhealthy', async () => (await c.inspect('api')).State.Health?.Status === 'unhealthy', 60_000, 500);
    // As long again as the monitor needed above: Docker does nothing more.
    const watchUntil = Date.now() + 15_000;
    await c.until('15 s more', async () => Date.now() > watchUntil, 20_000, 1000);
    const after = await c.inspect('api');
    expect(after.State.Paused).toBe(true);
    expect(after.State.Health?.Status).toBe('unhealthy');
    expect(started(after)).toBe(started(api));
    await d.docker(['unpause', api.Id]);
    // The monitor alone: Compose 1.29 would hold web and bot's up-to-date check on api's health.
    await c.run(['up', '-d', '--no-deps', 'monitor']);
    await c.untilHealthy(['api'], 60_000);
  }, 180_000);

  it("mongod's data survives down then up (the named volume), and its stop was the graceful one", async () => {
    const mongod = await c.inspect('mongod');
    expect(mongod.Mounts.find((m) => m.Destination === '/data/db')).toMatchObject({ Type: 'volume', Name: `${c.project}_mongod-data` });
    await d.docker(['exec', mongod.Id, 'sh', '-c', 'echo kept-across-down > /data/db/marker']);
    await c.run(['down', '-t', '70']);
    expect(await c.id('mongod')).toBeNull();
    await c.run(['up', '-d']);
    await c.untilHealthy(APPS, 120_000);
    const again = await c.inspect('mongod');
    expect(again.Id).not.toBe(mongod.Id);
    expect((await d.docker(['exec', again.Id, 'cat', '/data/db/marker'])).stdout.trim()).toBe('kept-across-down');
    // The stand-in writes clean-shutdown only after its SIGINT flush: Compose stopped it with stop_signal, inside the grace.
    expect((await d.docker(['exec', again.Id, 'sh', '-c', 'cat /data/db/journal.log'])).stdout).toMatch(/flush \d+ms/);
  }, 300_000);
});
