import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitHealthy } from '../../src/ops/shared/readiness.js';
import { loadStack } from '../../src/rules/stack-load.js';
import { compileStack } from '../../src/stack/compile.js';
import { controlDir, readHolderState } from '../../src/stack/rolling.js';
import type { Stack } from '../../src/stack/types.js';
import { pidAlive } from '../../src/util/proctree.js';
import { waitFor } from '../../src/util/timeout.js';
import { Cleanup } from '../helpers/cleanup.js';
import { makeGitProject, type GitProject } from '../helpers/git-project.js';
import { startLoad, type LoadShape } from '../helpers/http-load.js';
import { startPm2, type TestDaemon } from '../helpers/pm2.js';
import { REPO } from '../helpers/project.js';
import { botStackInput, randomPorts, type Ports } from '../helpers/stack.js';
import { cli } from '../unit/cli/cli-run.js';

// Deploys and restarts of a held uvicorn (runtime/sockhold.py) under 50
// requests/s, with real git, a real pm2 daemon, real uvicorn and the real
// monitor (from dist/: build first). The control, a plain `pm2 restart api`,
// runs in the same stack and fails requests.

const API_APP = readFileSync(join(REPO, 'test/fixtures/project/api_v2/app.py'), 'utf8');
const version = (n: number) => `${API_APP}\n\n@app.get("/version")\ndef version():\n    return {"version": ${n}}\n`;
const everyRoute500 = (n: number) => `${version(n)}\n\n@app.middleware("http")\nasync def broken(request, call_next):\n    return JSONResponse({"broken": True}, status_code=500)\n`;
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('rolling deploys and restarts under load (real git, pm2, uvicorn, monitor)', () => {
  const cleanup = new Cleanup();
  let d: TestDaemon;
  let p: GitProject;
  let ports: Ports;
  let stack: Stack;
  const env = () => ({ PM2_HOME: d.home, PATH: process.env.PATH, HOME: process.env.HOME });
  const head = () => p.git(p.root, 'rev-parse', 'HEAD');
  const apiPm2 = async () => (await d.client.list()).find((x) => x.name === 'api')!;
  const holder = () => readHolderState(controlDir(stack.logDir, 'api'));
  const answersVersion = (n: number) => async () => {
    const r = await fetch(`http://127.0.0.1:${ports.api}/version`).catch(() => null);
    return r && r.status === 200 && (await r.text()) === `{"version":${n}}` ? true : undefined;
  };

  async function underLoad<T>(shape: LoadShape, act: () => Promise<T>) {
    const load = startLoad({ port: () => ports.api, shape, maxMs: 120_000 });
    await settle(1000);
    const result = await act();
    await settle(1500);
    await load.stop();
    return { result, load, window: load.window(0, Infinity) };
  }

  beforeAll(async () => {
    d = await startPm2(cleanup);
    ports = await randomPorts();
    p = makeGitProject(botStackInput('/unused', ports, { monitor: true }));
    cleanup.add(() => [p.root, p.remote, p.dev].forEach((dir) => rmSync(dir, { recursive: true, force: true })));
    const loaded = await loadStack(p.config, { env: {} });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    stack = loaded.stack;
    await d.client.start(compileStack(stack), 60_000);
    for (const s of stack.services) expect((await waitHealthy(d.client, s, { deadlineMs: 60_000 })).ok, s.name).toBe(true);
    await waitFor('the holder has written its state', () => (holder()?.child ? true : undefined), { timeoutMs: 20_000 });
  }, 180_000);
  afterAll(() => cleanup.run(), 120_000);

  it('pm2 shows one api process: the holder, with uvicorn as its child', async () => {
    const api = await apiPm2();
    expect(api.status).toBe('online');
    expect(holder()).toMatchObject({ pid: api.pid });
    expect(readFileSync(`/proc/${holder()!.child}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]).toBe(String(api.pid));
  });

  it('a deploy of an api change fails no request (new connections), and pm2 kept its process', async () => {
    const before = await apiPm2();
    const oldChild = holder()!.child;
    p.commit({ 'api_v2/app.py': version(1) }, 'api: version 1');
    const { result, window } = await underLoad('new-connections', () => cli(['deploy', '--config', p.config], env()));
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/api: restarted, healthy in .* \(uvicorn pid \d+ -> \d+, rolling\)/);
    expect(window.failed, JSON.stringify(window.statuses)).toBe(0);
    expect(window.requests).toBeGreaterThan(100);
    await waitFor('api serves version 1', answersVersion(1), { timeoutMs: 10_000 });
    const after = await apiPm2();
    expect({ pid: after.pid, restarts: after.restarts }).toEqual({ pid: before.pid, restarts: before.restarts });
    expect(pidAlive(oldChild)).toBe(false);
    expect(holder()?.last.at(-1)).toMatchObject({ cause: 'deploy', ok: true });
  }, 120_000);

  it('`botstack restart api` fails no request (keep-alive clients)', async () => {
    const oldChild = holder()!.child;
    const { result, window } = await underLoad('keep-alive', () => cli(['restart', 'api', '--config', p.config], env()));
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('rolling: the port stayed open');
    expect(window.failed, JSON.stringify(window.statuses)).toBe(0);
    expect(holder()!.child).not.toBe(oldChild);
    expect(holder()?.last.at(-1)).toMatchObject({ cause: 'restart', ok: true });
  }, 120_000);

  it('a deploy of a commit whose every route answers 500 serves none of the load, rolls back and exits 1', async () => {
    const good = head();
    const oldChild = holder()!.child;
    p.commit({ 'api_v2/app.py': everyRoute500(2) }, 'api: every route 500');
    const { result, window, load } = await underLoad('new-connections', () => cli(['deploy', '--config', p.config], env()));
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stderr).toContain('the new process served no request (health gate: GET /health answered 500)');
    expect(head()).toBe(good);
    expect(window.failed, JSON.stringify(window.statuses)).toBe(0);
    expect(load.answers.every((a) => a.status === 200 && a.pid === oldChild)).toBe(true);
    expect(holder()!.child).toBe(oldChild);
    await waitFor('api still on version 1', answersVersion(1), { timeoutMs: 5000 });
  }, 120_000);

  it('control: a plain `pm2 restart api` (the holder itself restarts, the socket closes) fails requests', async () => {
    const { window } = await underLoad('new-connections', async () => {
      await d.client.restart('api', 60_000);
      await waitFor('api answers again', answersVersion(1), { timeoutMs: 30_000, intervalMs: 20 });
    });
    expect(window.failed).toBeGreaterThan(0);
    expect(Object.keys(window.statuses)).toContain('ECONNREFUSED');
  }, 120_000);
});
