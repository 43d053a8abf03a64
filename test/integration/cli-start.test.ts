import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pm2Client } from '../../src/pm2/client.js';
import { canBind } from '../../src/ops/shared/ports.js';
import { runStart, startSelection, type StartEvent } from '../../src/ops/start/run.js';
import type { StatusReport } from '../../src/ops/status/types.js';
import { loadStack } from '../../src/rules/stack-load.js';
import { cmdline } from '../../src/util/proctree.js';
import { waitFor } from '../../src/util/timeout.js';
import { Cleanup } from '../helpers/cleanup.js';
import { startPm2, type TestDaemon } from '../helpers/pm2.js';
import { makeProject } from '../helpers/project.js';
import { botStackInput, randomPorts, type Ports } from '../helpers/stack.js';
import { cli, stackFile } from '../unit/cli/cli-run.js';

// botstack start/status against a real pm2 in a temp PM2_HOME, with real uvicorn apps.

describe('botstack start and status (real pm2, real uvicorn)', () => {
  const cleanup = new Cleanup();
  let d: TestDaemon;
  let root: string;
  let ports: Ports;
  let config: string;
  const env = () => ({ PM2_HOME: d.home, PATH: process.env.PATH, HOME: process.env.HOME });
  beforeAll(async () => {
    d = await startPm2(cleanup);
    root = makeProject();
    ports = await randomPorts();
    config = stackFile(botStackInput(root, ports), root);
  });
  afterAll(() => cleanup.run());

  it('a port in use fails before anything starts and names the holder', async () => {
    const holder = spawn('/usr/bin/python3', ['-m', 'http.server', String(ports.web), '--bind', '127.0.0.1'], { stdio: 'ignore' });
    cleanup.add(() => holder.kill('SIGKILL'));
    await waitFor('the holder to listen', async () => ((await canBind('127.0.0.1', ports.web)) ? undefined : true), { timeoutMs: 10_000 });
    const r = await cli(['start', '--config', config], env());
    expect(r.stderr).toBe(
      'botstack: not starting test-bot; preflight found 1 problem:\n' +
        `  port ${ports.web} is already in use by pid ${holder.pid} (${cmdline(holder.pid!)}); stop it or change web.port\n` +
        'nothing was started.\n',
    );
    expect(cmdline(holder.pid!)).toBe(`/usr/bin/python3 -m http.server ${ports.web} --bind 127.0.0.1`);
    expect(r.code).toBe(1);
    expect(await d.client.list()).toEqual([]);
    holder.kill('SIGKILL');
    await waitFor('the holder to let go', async () => ((await canBind('127.0.0.1', ports.web)) ? true : undefined), { timeoutMs: 10_000 });
  });

  it('starts in dependency order: no dependent spawns before its dependencies are healthy', async () => {
    const loaded = await loadStack(config, { env: env() });
    if (!loaded.ok) throw new Error('stack does not load');
    const stack = loaded.stack;
    const events: StartEvent[] = [];
    const client = await Pm2Client.connect({ home: d.home, spawnDaemon: false });
    cleanup.add(() => client.disconnect());
    const r = await runStart(client, stack, startSelection(stack, []), { onEvent: (e) => events.push(e) });
    expect(r).toMatchObject({ ok: true, failed: [], alreadyUp: [] });
    const healthyAt = new Map(events.flatMap((e) => (e.type === 'healthy' ? [[e.service, e.at] as const] : [])));
    const list = await d.client.list();
    for (const s of stack.services) {
      const spawnedAt = list.find((p) => p.name === s.name)?.startedAt ?? 0;
      for (const dep of s.dependsOn) expect(spawnedAt, `${s.name} spawned before ${dep} was healthy`).toBeGreaterThanOrEqual(healthyAt.get(dep)!);
    }
    // web and bot depend only on api: one level, started together.
    const levels = events.flatMap((e) => (e.type === 'level' ? [e.services] : []));
    expect(levels).toEqual([['mongod'], ['api'], ['web', 'bot']]);
  });

  it('a second start is not an error: it reports what was already up and restarts nothing', async () => {
    const before = await d.client.list();
    const r = await cli(['start', '--config', config], env());
    const lines = r.stdout.split('\n').slice(0, 5).map((l) => l.replace(/probe \d+ms/, 'probe Nms'));
    expect(lines.slice(0, 3)).toEqual(['starting test-bot (production): mongod, api, web, bot', 'mongod  already up, healthy, probe Nms', 'api     already up, healthy, probe Nms']);
    // web and bot share a level: each line comes as that service is found ready, in either order.
    expect(lines.slice(3).sort()).toEqual(['bot     already up, stayed online for its min_uptime, 10 s', 'web     already up, healthy, probe Nms']);
    expect(r.stdout).toMatch(/test-bot: all 4 services healthy in \d+\.\d s \(0 started, 4 already up\)\n$/);
    expect(r.code).toBe(0);
    expect((await d.client.list()).map((p) => p.pid)).toEqual(before.map((p) => p.pid));
  });

  it('status --json matches pm2 own list, and exits 0 for a healthy stack', async () => {
    const r = await cli(['status', '--json', '--config', config], env());
    const report = JSON.parse(r.stdout) as StatusReport;
    const raw = await d.client.rawList();
    expect(report.services.map((s) => s.name)).toEqual(['mongod', 'api', 'web', 'bot']);
    for (const s of report.services) {
      const p = raw.find((x) => x.name === s.name)!;
      expect({ name: s.name, status: s.status, pid: s.pid, restarts: s.restarts, watch: s.watch }).toEqual({
        name: p.name, status: p.pm2_env.status, pid: p.pid, restarts: p.pm2_env.restart_time, watch: p.pm2_env.watch === true,
      });
      expect(Math.abs(Date.now() - p.pm2_env.pm_uptime - s.uptimeMs)).toBeLessThan(5000);
      // The whole tree is at least the main process pm2 measures.
      expect(s.memoryBytes).toBeGreaterThanOrEqual(p.monit.memory * 0.9);
      expect(s.health).toBe('healthy');
    }
    expect(report.stack).toBe('healthy');
    expect(report.healthSource).toBe('cli-probe');
    expect(r.code).toBe(0);
  });

  it('status says degraded and exits 1 when a service is stopped', async () => {
    await d.client.stop('bot');
    const r = await cli(['status', '--config', config], env());
    expect(r.stdout).toMatch(/^bot +stopped +- +- +\d+ +- +- +stopped +- +off$/m);
    expect(r.stdout).toContain('stack test-bot: DEGRADED  (profile production, health from cli-probe)\n');
    expect(r.code).toBe(1);
  });
});
