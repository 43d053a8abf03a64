import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cmdline } from '../../src/util/proctree.js';
import { Cleanup } from '../helpers/cleanup.js';
import { startPm2 } from '../helpers/pm2.js';
import { freePorts } from '../helpers/ports.js';
import { makeProject, MONGOD_STANDIN, REPO } from '../helpers/project.js';
import { run } from '../unit/cli/ops-cli.js';

// init -> check -> a real start under pm2 (temp PM2_HOME) of what init wrote, in
// the incident's folder with a real venv: every service online, and each uvicorn
// app answers the health path init took from the start script's curl.
// Runs from dist/ through the botstack package link, as a user's project would.

describe('botstack init --from, round trip through check and a real pm2 start', () => {
  const cleanup = new Cleanup();
  afterAll(() => cleanup.run());

  it('the stack init writes from a real-world start script starts and is healthy', async () => {
    const d = await startPm2(cleanup);
    const root = makeProject();
    mkdirSync(join(root, 'node_modules'));
    symlinkSync(REPO, join(root, 'node_modules', 'botstack'));
    mkdirSync(join(root, 'data', 'db'), { recursive: true });
    // The fixture is written with the incident's ports; the test needs free ones.
    const [mongo, api, web] = await freePorts(3);
    const script = readFileSync(join(REPO, 'test', 'fixtures', 'init', 'start_bot_stack.sh'), 'utf8')
      .replaceAll('27017', String(mongo))
      .replaceAll('8002', String(api))
      .replaceAll('8003', String(web));
    writeFileSync(join(root, 'start_bot_stack.sh'), script, { mode: 0o755 });
    const env = { PM2_HOME: d.home, BOTSTACK_MONGOD: MONGOD_STANDIN, PATH: process.env.PATH, HOME: process.env.HOME };

    const init = await run(['init', '--from', 'start_bot_stack.sh'], { env, cwd: root });
    expect(init.stderr).toBe('');
    expect(init.stdout).toContain(`found 4 services in start_bot_stack.sh: mongod (mongod :${mongo}), api (uvicorn :${api}), web (uvicorn :${web}), bot (python)\n`);

    const check = await run(['check'], { env, cwd: root });
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);

    const start = await run(['start'], { env, cwd: root });
    expect(start.stderr).not.toMatch(/error|failed/i);
    expect(start.code).toBe(0);

    // The four services init found, and the monitor every stack gets.
    const list = await d.until('all five online', (l) => ['mongod', 'api', 'web', 'bot', 'monitor'].every((n) => l.some((p) => p.name === n && p.status === 'online')), 60_000);
    expect(list.map((p) => p.name).sort()).toEqual(['api', 'bot', 'mongod', 'monitor', 'web']);
    for (const [port, path] of [[api, '/health'], [web, '/api/health']] as const) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(10_000) });
      expect(res.status).toBe(200);
    }
    // --reload was dropped: no uvicorn under pm2 runs a reloader.
    const api_ = list.find((p) => p.name === 'api');
    expect(cmdline(api_?.pid ?? 0)).toMatch(/uvicorn api_v2\.app:app/);
    for (const p of list) expect(cmdline(p.pid)).not.toContain('--reload');
  });
});
