import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessEvent } from '../../src/pm2/types.js';
import { Cleanup } from '../helpers/cleanup.js';
import { startPm2, type TestDaemon } from '../helpers/pm2.js';
import { makeProject } from '../helpers/project.js';
import { botStackInput, randomPorts } from '../helpers/stack.js';
import { cli, stackFile } from '../unit/cli/cli-run.js';

// botstack restart and stop against a real pm2 in a temp PM2_HOME.

describe('botstack restart and stop (real pm2, real uvicorn)', () => {
  const cleanup = new Cleanup();
  let d: TestDaemon;
  let config: string;
  const exits: ProcessEvent[] = [];
  const env = () => ({ PM2_HOME: d.home, PATH: process.env.PATH, HOME: process.env.HOME });
  beforeAll(async () => {
    d = await startPm2(cleanup);
    const root = makeProject();
    config = stackFile(botStackInput(root, await randomPorts()), root);
    const bus = await d.client.bus();
    cleanup.add(() => bus.close());
    bus.onProcessEvent((e) => e.event === 'exit' && exits.push(e));
    const r = await cli(['start', '--config', config], env());
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(() => cleanup.run());

  it('restart waits until the service is healthy again, with a new pid', async () => {
    // web runs under the socket holder (docs/zero-downtime.md): its uvicorn is replaced beside the old
    // one and pm2's process, the holder, stays; the uvicorn pids are the holder's children.
    const old = await d.proc('web');
    const child = () => Number(readFileSync(`/proc/${old.pid}/task/${old.pid}/children`, 'utf8').trim().split(' ')[0]);
    const oldChild = child();
    const r = await cli(['restart', 'web', '--config', config], env());
    const now = await d.proc('web');
    expect(now.pid).toBe(old.pid);
    expect(child()).not.toBe(oldChild);
    expect(r.stdout).toMatch(new RegExp(`^restarting web\\.\\.\\.\\nweb restarted: healthy in \\d+\\.\\d s \\(uvicorn pid ${oldChild} -> ${child()}, rolling: the port stayed open\\)\\n$`));
    expect(r.code).toBe(0);
    expect(now.restarts).toBe(old.restarts);
  });

  it('stop <service> stops its dependents first, then it, and leaves the rest', async () => {
    exits.length = 0;
    const r = await cli(['stop', 'api', '--config', config], env());
    expect(r.stdout.split('\n')[0]).toBe('stopping test-bot: web, bot -> api');
    expect(r.stdout).toMatch(/^web  stopped in \d+\.\d s$/m);
    expect(r.stdout).toContain('test-bot: 3 stopped, 0 already down\n');
    expect(r.code).toBe(0);
    const at = (n: string) => exits.find((e) => e.name === n)?.at ?? Number.NaN;
    await d.until('three exits seen', () => ['web', 'bot', 'api'].every((n) => exits.some((e) => e.name === n)), 10_000);
    expect(at('api')).toBeGreaterThanOrEqual(Math.max(at('web'), at('bot')));
    expect((await d.proc('mongod')).status).toBe('online');
  });

  it('restart refuses while a dependency is down, and says what to do', async () => {
    const r = await cli(['restart', 'web', '--config', config], env());
    expect(r.stderr).toBe('botstack: refusing to restart web: api is stopped.\nit would only fail without them; start them first (botstack start web), or pass --force\n');
    expect(r.code).toBe(1);
    expect((await d.proc('web')).status).toBe('stopped');
  });

  it('restart --force goes ahead anyway', async () => {
    const r = await cli(['restart', 'web', '--force', '--config', config], env());
    expect(r.stdout).toMatch(/^web restarted: healthy in/m);
    expect(r.code).toBe(0);
  });

  it('stop of everything goes dependents first and reports each', async () => {
    exits.length = 0;
    const r = await cli(['stop', '--config', config], env());
    expect(r.stdout.split('\n')[0]).toBe('stopping test-bot: web, bot -> api -> mongod');
    expect(r.stdout).toMatch(/^bot {5}already stopped$/m);
    expect(r.stdout).toContain('test-bot: 2 stopped, 2 already down\n');
    expect(r.code).toBe(0);
    await d.until('two exits seen', () => exits.length >= 2, 10_000);
    // pm2 may announce one exit more than once; the order of first mentions is what counts.
    expect([...new Set(exits.map((e) => e.name))]).toEqual(['web', 'mongod']);
  });
});
