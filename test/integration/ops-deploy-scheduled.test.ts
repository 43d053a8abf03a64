import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/util/timeout.js';
import { Cleanup } from '../helpers/cleanup.js';
import { makeGitProject, type GitProject } from '../helpers/git-project.js';
import { startPm2, type TestDaemon } from '../helpers/pm2.js';
import { REPO } from '../helpers/project.js';
import { botStackInput, randomPorts, type Ports } from '../helpers/stack.js';
import { cli } from '../unit/cli/cli-run.js';

// The auto-pull, made safe: `deploy: { every, ref }` in the stack becomes a
// cron-started pm2 job running `botstack deploy --scheduled`. Waiting 30 minutes
// for the cron is not a test; `pm2 restart botstack-deploy` runs the very same app
// once now (pm2 starts a stopped app on restart), through pm2, with its logs.

const API_APP = readFileSync(join(REPO, 'test/fixtures/project/api_v2/app.py'), 'utf8');
const JOB = 'botstack-deploy';

describe('scheduled deploys through pm2 (real git, real pm2, real uvicorn)', () => {
  const cleanup = new Cleanup();
  let d: TestDaemon;
  let p: GitProject;
  let ports: Ports;
  const env = () => ({ PM2_HOME: d.home, PATH: process.env.PATH, HOME: process.env.HOME });
  const head = () => p.git(p.root, 'rev-parse', 'HEAD');
  const recordsFile = () => join(p.root, 'logs', 'deploy.jsonl');
  const records = () => (existsSync(recordsFile()) ? readFileSync(recordsFile(), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) : []);
  const runJobOnce = async (n: number) => {
    await d.client.restart(JOB, 30_000);
    const log = (f: string) => (existsSync(join(p.root, 'logs', f)) ? readFileSync(join(p.root, 'logs', f), 'utf8') : '');
    await waitFor(`scheduled deploy #${n} recorded`, async () => (records().length >= n ? true : undefined), { timeoutMs: 180_000, intervalMs: 250 }).catch((err: Error) => {
      throw new Error(`${err.message}\n${log('deploy.out.log')}\n${log('deploy.err.log')}`);
    });
    await d.until('the job exits', (l) => l.find((x) => x.name === JOB)?.status === 'stopped', 30_000);
    return records()[n - 1]!;
  };

  beforeAll(async () => {
    d = await startPm2(cleanup);
    ports = await randomPorts();
    p = makeGitProject({ ...botStackInput('/unused', ports), deploy: { every: '30m', ref: 'origin/main' } });
    cleanup.add(() => {
      for (const dir of [p.root, p.remote, p.dev]) rmSync(dir, { recursive: true, force: true });
    });
  });
  afterAll(() => cleanup.run(), 120_000);

  it('check passes a stack that schedules deploys', async () => {
    const r = await cli(['check', p.config], env());
    // The test's stack runs without the monitor (monitor: false), which check warns about; nothing else.
    expect(r.stdout).toContain('warning no-monitor at ');
    expect(r.stdout.endsWith('\n0 errors, 1 warning, 0 info in 1 file\n')).toBe(true);
    expect(r.code).toBe(0);
  });

  it('start registers the job with pm2 once the stack is healthy: cron-started, never restarted; its run at registration finds nothing new', async () => {
    const r = await cli(['start', '--config', p.config], env());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`scheduled deploys: every 30m (cron "*/30 * * * *") of origin/main, as pm2 app ${JOB}; log ${join(p.root, 'logs', 'deploy.out.log')}\n`);
    // pm2 runs an app when it is registered; the stack is healthy by then, and up to date.
    await waitFor('the registration run recorded', async () => (records().length >= 1 ? true : undefined), { timeoutMs: 60_000, intervalMs: 250 });
    await d.until('the registration run exits', (l) => l.find((x) => x.name === JOB)?.status === 'stopped', 30_000);
    expect(records()).toEqual([expect.objectContaining({ scheduled: true, result: 'up-to-date', ref: 'origin/main', services: [] })]);
    const raw = (await d.client.rawList()).find((x) => x.name === JOB)!;
    expect(raw.pm2_env).toMatchObject({ cron_restart: '*/30 * * * *', autorestart: false, status: 'stopped' });
  }, 120_000);

  it('a scheduled deploy of a broken api leaves the stack on the previous commit, healthy; the next good one goes live', async () => {
    const good = head();
    p.commit({ 'api_v2/app.py': API_APP.replace('def health():\n', 'def health():\n    return JSONResponse({"status": "broken"}, status_code=500)\n') }, 'api: broken health');
    const failed = await runJobOnce(2);
    expect(failed).toMatchObject({ scheduled: true, result: 'rolled-back', from: good, failedService: 'api', ref: 'origin/main' });
    expect(head()).toBe(good);
    expect((await fetch(`http://127.0.0.1:${ports.api}/health`)).status).toBe(200);
    // The api is held: the broken commit's process failed its health gate and served nothing (docs/zero-downtime.md).
    expect(readFileSync(join(p.root, 'logs', 'deploy.err.log'), 'utf8')).toContain('failed at api: the new process served no request (');
    expect(readFileSync(join(p.root, 'logs', 'deploy.out.log'), 'utf8')).toContain('deploy test-bot: ');

    const fixed = p.commit({ 'api_v2/app.py': `${API_APP}\n\n@app.get("/version")\ndef version():\n    return {"version": 2}\n` }, 'api: /version');
    const ok = await runJobOnce(3);
    expect(ok).toMatchObject({ scheduled: true, result: 'deployed', to: fixed, services: ['api'] });
    expect(head()).toBe(fixed);
    expect(await (await fetch(`http://127.0.0.1:${ports.api}/version`)).text()).toBe('{"version":2}');
  }, 300_000);
});
