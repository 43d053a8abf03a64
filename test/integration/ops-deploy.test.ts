import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthReport } from '../../src/monitor/report.js';
import { waitHealthy } from '../../src/ops/shared/readiness.js';
import { compileStack } from '../../src/stack/compile.js';
import { loadStack } from '../../src/rules/stack-load.js';
import type { Stack } from '../../src/stack/types.js';
import { controlDir, readHolderState } from '../../src/stack/rolling.js';
import { waitFor } from '../../src/util/timeout.js';
import { pidAlive } from '../../src/util/proctree.js';
import { Cleanup } from '../helpers/cleanup.js';
import { makeGitProject, type GitProject } from '../helpers/git-project.js';
import { startPm2, type TestDaemon } from '../helpers/pm2.js';
import { REPO } from '../helpers/project.js';
import { botStackInput, randomPorts, type Ports } from '../helpers/stack.js';
import { cli } from '../unit/cli/cli-run.js';

// `botstack deploy` against real git (a bare remote, the server's clone, a
// developer's clone), a real pm2 daemon, real uvicorn, and the real monitor.

const API_APP = readFileSync(join(REPO, 'test/fixtures/project/api_v2/app.py'), 'utf8');
const WEB_APP = readFileSync(join(REPO, 'test/fixtures/project/web/app.py'), 'utf8');
// A developer's change to the api: a new route, and a start that is slow while run/slow-start exists.
const API_V1 = `${API_APP}\n\nif os.path.exists("run/slow-start"):\n    time.sleep(8)\n\n\n@app.get("/version")\ndef version():\n    return {"version": 1}\n`;
const API_BROKEN = API_V1.replace('def health():\n', 'def health():\n    return JSONResponse({"status": "broken"}, status_code=500)\n');

describe('botstack deploy (real git, real pm2, real uvicorn, real monitor)', () => {
  const cleanup = new Cleanup();
  let d: TestDaemon;
  let p: GitProject;
  let ports: Ports;
  let stack: Stack;
  // PyPI is not reachable here: pip is told so through its own environment, as an
  // operator on a private mirror would configure it. --no-build-isolation
  // (PIP_NO_BUILD_ISOLATION=0, pip's inverted spelling) builds a local package
  // with the system's setuptools instead of downloading one into an isolated env.
  const pipEnv = { PIP_NO_INDEX: '1', PIP_NO_BUILD_ISOLATION: '0' };
  const env = (extra: Record<string, string> = {}) => ({ PM2_HOME: d.home, PATH: process.env.PATH, HOME: process.env.HOME, ...pipEnv, ...extra });
  const deploy = (args: string[] = [], extra: Record<string, string> = {}) => cli(['deploy', '--config', p.config, ...args], env(extra));
  const head = () => p.git(p.root, 'rev-parse', 'HEAD');
  const pids = async () => Object.fromEntries((await d.client.list()).map((x) => [x.name, x.pid]));
  const get = async (port: number, path: string) => {
    const r = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: r.status, body: await r.text() };
  };
  const records = () => readFileSync(join(p.root, 'logs', 'deploy.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const monitorReport = async () => (await d.client.trigger('monitor', 'health', undefined, 10_000)) as HealthReport;
  const allHealthy = async () => {
    for (const s of stack.services) {
      const r = await waitHealthy(d.client, s, { deadlineMs: 60_000 });
      expect(r.ok, `${s.name}: ${r.ok ? '' : r.reason}`).toBe(true);
    }
  };

  beforeAll(async () => {
    d = await startPm2(cleanup);
    ports = await randomPorts();
    const input = botStackInput('/unused', ports, { monitor: true });
    // A short start grace makes the monitor judge a slow start quickly: the hold is what must stop it healing.
    const services = input.services.map((s) => (s.name === 'api' ? { ...s, health: { type: 'http' as const, path: '/health', startGrace: '3s' } } : s));
    p = makeGitProject({ ...input, services });
    cleanup.add(() => {
      for (const dir of [p.root, p.remote, p.dev]) rmSync(dir, { recursive: true, force: true });
    });
    // pip for the requirements test: the venv's own, from python3-venv's bundled wheels when the
    // system has no python3-pip (CI); here the system's pip and setuptools already serve it.
    execFileSync(join(p.root, 'venv', 'bin', 'python'), ['-m', 'ensurepip', '--default-pip'], { stdio: 'pipe' });
    const loaded = await loadStack(p.config, { env: {} });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    stack = loaded.stack;
    await d.client.start(compileStack(stack), 60_000);
    await allHealthy();
    await waitFor('the monitor reports every service healthy', async () => {
      const r = await monitorReport().catch(() => undefined);
      return r && Object.values(r.services).every((s) => s.state === 'healthy') ? r : undefined;
    }, { timeoutMs: 60_000, intervalMs: 250 });
  }, 180_000);
  afterAll(() => cleanup.run(), 120_000);

  it('nothing new: exit 0, nothing restarts', async () => {
    const before = await pids();
    const r = await deploy();
    expect(r.stdout).toBe(`up to date: origin/main is ${head().slice(0, 7)}, which is deployed; nothing restarted\n`);
    expect(r.code).toBe(0);
    expect(await pids()).toEqual(before);
  });

  it('--dry-run prints commits, changed files, services and order, and changes nothing', async () => {
    const from = head();
    const to = p.commit({ 'api_v2/app.py': API_V1 }, 'api: /version');
    const r = await deploy(['--dry-run']);
    expect(r.stdout).toBe(
      [
        `deploy test-bot: ${from.slice(0, 7)} -> ${to.slice(0, 7)} (origin/main: api: /version), 1 file changed`,
        '  api_v2/app.py',
        'restart, in this order, each gated on health: api',
        '  api: api_v2/app.py',
        'dry run: nothing was changed',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(0);
    expect(head()).toBe(from);
  });

  // api runs under the socket holder (docs/zero-downtime.md): a deploy rolls its uvicorn, so pm2's
  // pid and restart count stay, the pid that answers changes, and the old one serves during the slow start.
  const servedPid = async () => ((await (await fetch(`http://127.0.0.1:${ports.api}/health`)).json()) as { pid: number }).pid;

  it('a commit that changes only api_v2/: only api restarts (slowly, and the monitor holds off), the new route answers', async () => {
    const before = await pids();
    const servedBefore = await servedPid();
    const restartsBefore = (await d.proc('api')).restarts;
    writeFileSync(join(p.root, 'run', 'slow-start'), '');
    const r = await deploy(['--health-timeout', '60s']);
    rmSync(join(p.root, 'run', 'slow-start'));
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^monitor: holding api \(lease \d+ s\)$/m);
    expect(r.stdout).toMatch(/^api: restarted, healthy in \d+\.\d s \(uvicorn pid \d+ -> \d+, rolling\)$/m);
    expect(r.code).toBe(0);
    const after = await pids();
    for (const n of ['mongod', 'api', 'web', 'bot', 'monitor']) expect(after[n], n).toBe(before[n]);
    expect(await servedPid()).not.toBe(servedBefore);
    expect(await get(ports.api, '/version')).toEqual({ status: 200, body: '{"version":1}' });
    // The deploy's restart was a roll: pm2's process did not restart, and the monitor healed nothing.
    expect((await d.proc('api')).restarts).toBe(restartsBefore);
    expect((await monitorReport()).services.api?.heals).toBe(0);
    const rec = records().at(-1)!;
    expect(rec).toMatchObject({ result: 'deployed', to: head(), services: ['api'], scheduled: false });
    expect((rec.steps as { step: string; ms: number }[]).map((s) => s.step)).toEqual(['fetch', 'check', 'checkout', 'restart']);
    const st = await cli(['status', '--config', p.config], env());
    expect(st.stdout).toContain(`deployed: ${head().slice(0, 7)} (origin/main) at ${String(rec.at)}`);
  }, 120_000);

  it('control: the same slow start without a deploy holding it is healed by the monitor', async () => {
    writeFileSync(join(p.root, 'run', 'slow-start'), '');
    await d.client.restart('api', 30_000);
    await waitFor('the monitor heals the slow api', async () => ((await monitorReport()).services.api?.heals ?? 0) >= 1 || undefined, { timeoutMs: 60_000, intervalMs: 250 });
    rmSync(join(p.root, 'run', 'slow-start'));
    await waitFor('api healthy again', async () => ((await monitorReport()).services.api?.state === 'healthy' ? true : undefined), { timeoutMs: 90_000, intervalMs: 250 });
  }, 180_000);

  it('a commit that breaks api (/health 500): exit 1 naming api and its log, HEAD back, api healthy on the old code', async () => {
    const good = head();
    p.commit({ 'api_v2/app.py': API_BROKEN }, 'api: broken health');
    const r = await deploy();
    // The new process failed its in-process health gate and never served; the old one kept serving the old code.
    expect(r.stderr).toContain(`botstack: deploy of ${p.git(p.dev, 'rev-parse', '--short=7', 'HEAD')} failed at api: the new process served no request (`);
    expect(r.stderr).toMatch(/GET \/health answered 500\)?\); the old one \(pid \d+\) keeps serving/);
    expect(r.stderr).toContain(`; rolled back to ${good.slice(0, 7)}, api never stopped serving it\n  last log lines of api:\n`);
    expect(r.stderr).toMatch(/^ {2}api\.(err|out) \| /m);
    expect(r.stdout).toMatch(/^rolling back the checkout to [0-9a-f]{7}$/m);
    expect(r.code).toBe(1);
    expect(head()).toBe(good);
    expect((await get(ports.api, '/health')).status).toBe(200);
    expect(await get(ports.api, '/version')).toEqual({ status: 200, body: '{"version":1}' });
    const rec = records().at(-1)!;
    expect(rec).toMatchObject({ result: 'rolled-back', from: good, failedService: 'api' });
    expect((rec.steps as { step: string }[]).map((s) => s.step)).toEqual(['fetch', 'check', 'checkout', 'restart', 'rollback-checkout']);
  }, 120_000);

  it('a commit with a syntax error: the crash ends the wait at once (not at the 60 s deadline), and it rolls back', async () => {
    const good = head();
    p.commit({ 'api_v2/app.py': `${API_V1}\n\ndef oops(:\n    pass\n` }, 'api: a typo');
    const r = await deploy(['--health-timeout', '60s']);
    expect(r.stderr).toContain('failed at api: the new process served no request (exited with code 1 before it was ready (its log says why)); the old one (pid ');
    expect(r.stderr).toContain('SyntaxError');
    expect(r.code).toBe(1);
    expect(head()).toBe(good);
    expect(await get(ports.api, '/version')).toEqual({ status: 200, body: '{"version":1}' });
    const restart = (records().at(-1)!.steps as { step: string; ms: number }[]).find((s) => s.step === 'restart')!;
    expect(restart.ms).toBeLessThan(30_000);
  }, 120_000);

  it('a fix that leaves no file changed since the deployed commit: nothing restarts, exit 0', async () => {
    const before = await pids();
    p.commit({ 'api_v2/app.py': API_V1 }, 'api: revert the broken health');
    const r = await deploy();
    expect(r.stdout).toContain('0 files changed\nrestart: nothing (no service runs the changed files)\n');
    expect(r.code).toBe(0);
    expect(head()).toBe(p.git(p.dev, 'rev-parse', 'HEAD'));
    expect(await pids()).toEqual(before);
  });

  it('refuses, changing nothing: local changes (naming the files), a non-fast-forward, a stack that fails check', async () => {
    const at = head();
    const before = await pids();
    appendFileSync(join(p.root, 'api_v2', 'app.py'), '# hotfix made on the server\n');
    const dirty = await deploy();
    expect(dirty.stderr).toBe(`botstack: deploy refused: the working tree at ${p.root} has local changes; a deploy would mix them with the new commit:\n  api_v2/app.py\ncommit or stash them (git stash), or undo them (git checkout -- <file>), then deploy again\n`);
    expect(dirty.code).toBe(1);
    p.git(p.root, 'checkout', '--', 'api_v2/app.py');

    const back = await deploy(['--ref', 'HEAD~1']);
    expect(back.stderr).toContain('is not a fast-forward of HEAD');
    expect(back.stderr).toContain('then pass --force to deploy');
    expect(back.code).toBe(1);

    const stackText = readFileSync(p.config, 'utf8').replace('"app": "api_v2.app:app",', '"app": "api_v2.app:app",\n      "args": ["--reload"],');
    p.commit({ 'ecosystem.config.mjs': stackText }, 'api: reload (oops)', 'bad');
    const bad = await deploy(['--ref', 'origin/bad']);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^botstack: deploy refused: the stack file does not pass check at [0-9a-f]{7}; nothing was changed:$/m);
    expect(bad.stderr).toContain('reload-flag');
    expect(bad.code).toBe(1);

    expect(head()).toBe(at);
    expect(await pids()).toEqual(before);
    expect(records().slice(-3).map((r) => r.result)).toEqual(['refused', 'refused', 'refused']);
  }, 60_000);

  it('a requirements change runs pip in the venv before any restart; a failing one restarts nothing and goes back', async () => {
    const at = head();
    p.commit(
      {
        'vendor/greeting/pyproject.toml': '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "greeting"\nversion = "1.0"\n',
        'vendor/greeting/greeting/__init__.py': 'WORD = "hello from a package"\n',
        // fastapi and uvicorn come from Debian here; listed, pip's resolver trips over Debian's own pins.
        'requirements.txt': '# the web framework comes from the system packages\n./vendor/greeting\n',
        'api_v2/app.py': `${API_V1}\n\n@app.get("/greeting")\ndef greeting():\n    import greeting as g\n    return {"word": g.WORD}\n`,
      },
      'api: greeting from a local package',
    );
    const r = await deploy();
    expect(r.stdout).toContain('pip install first, for: requirements.txt\n');
    expect(r.stdout).toContain('no service owns requirements.txt, vendor/greeting/greeting/__init__.py, vendor/greeting/pyproject.toml: every Python service restarts');
    expect(r.stdout.indexOf('pip install -r')).toBeLessThan(r.stdout.indexOf('api: restarted'));
    expect(r.stdout).toMatch(/^pip install -r requirements\.txt \(venv .*\/venv\)\.\.\.$/m);
    expect(r.stdout).toContain('restart, in this order, each gated on health: api -> web -> bot\n');
    expect(r.code, r.stderr).toBe(0);
    expect(await get(ports.api, '/greeting')).toEqual({ status: 200, body: '{"word":"hello from a package"}' });
    expect(head()).not.toBe(at);

    const good = head();
    const before = await pids();
    p.commit({ 'requirements.txt': './vendor/greeting\n./vendor/not-there\n' }, 'deps: a package nobody committed');
    const failed = await deploy();
    expect(failed.stderr).toContain(`botstack: deploy failed: pip install -r requirements.txt failed in ${join(p.root, 'venv')}; nothing was restarted and the checkout is back at ${good.slice(0, 7)}\n`);
    expect(failed.stderr).toContain("  pip | ERROR: Invalid requirement: './vendor/not-there' (from line 2 of requirements.txt)\n");
    expect(failed.code).toBe(1);
    expect(head()).toBe(good);
    expect(await pids()).toEqual(before);
    p.commit({ 'requirements.txt': '# the web framework comes from the system packages\n./vendor/greeting\n' }, 'deps: drop it again');
  }, 240_000);

  it('two deploys at once: the second is refused naming the first; the first SIGKILLed after its checkout; status says so; the next deploy finishes it', async () => {
    const from = head();
    const before = await pids();
    const webChild = readHolderState(controlDir(stack.logDir, 'web'))?.child;
    const to = p.commit({ 'web/app.py': `${WEB_APP}\n\n@app.get("/api/version")\ndef version():\n    return {"web": 2}\n` }, 'web: /api/version');
    const child = spawn(process.execPath, [join(REPO, 'bin', 'botstack.js'), 'deploy', '--config', p.config], { env: env({ BOTSTACK_DEPLOY_PAUSE: 'checkout' }), stdio: ['ignore', 'pipe', 'pipe'] });
    cleanup.add(() => child.pid && pidAlive(child.pid) && process.kill(child.pid, 'SIGKILL'));
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    await waitFor('the first deploy pauses after its checkout', async () => {
      if (child.exitCode !== null) throw new Error(`the first deploy exited ${child.exitCode}:\n${out}`);
      return out.includes('deploy: paused after checkout') ? true : undefined;
    }, { timeoutMs: 60_000, intervalMs: 50 });
    const second = await deploy();
    expect(second.stderr).toContain(`botstack: another deploy is running (pid ${child.pid}, lock ${join(p.root, 'logs', 'deploy.lock')}); nothing was changed\n`);
    expect(second.code).toBe(1);

    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(child.pid!, 'SIGKILL');
    await exited;
    // The mix a killed deploy leaves: the tree at the new commit, web still running the old one.
    expect(head()).toBe(to);
    expect((await pids()).web).toBe(before.web);
    const st = await cli(['status', '--config', p.config], env());
    expect(st.stdout).toContain(`deploy ${from.slice(0, 7)} -> ${to.slice(0, 7)} interrupted: pid ${child.pid} died in phase checkout`);
    expect(st.stdout).toContain(`the tree is at the new commit ${to.slice(0, 7)}; services may still run ${from.slice(0, 7)}`);

    const next = await deploy();
    expect(next.stdout).toContain(`took over the deploy lock from pid ${child.pid}, which is no longer running\n`);
    expect(next.stdout).toContain(`deploy test-bot: ${from.slice(0, 7)} -> ${to.slice(0, 7)} (origin/main: web: /api/version), 1 file changed\n  web/app.py\n`);
    expect(next.stdout).toContain(`already checked out ${to.slice(0, 7)}\n`);
    expect(next.stdout).toMatch(/^web: restarted, healthy in/m);
    expect(next.code, next.stderr).toBe(0);
    // web is held: the deploy rolled its uvicorn, pm2's process (the holder) stayed.
    expect(readHolderState(controlDir(stack.logDir, 'web'))?.child).not.toBe(webChild);
    expect((await get(ports.web, '/api/version')).body).toBe('{"web":2}');
    expect(existsSync(join(p.root, 'logs', 'deploy.journal.json'))).toBe(false);
  }, 180_000);

  it('with the monitor stopped, a deploy says so and goes ahead', async () => {
    await d.client.stop('monitor', 30_000);
    p.commit({ 'web/app.py': `${WEB_APP}\n\n@app.get("/api/version")\ndef version():\n    return {"web": 3}\n` }, 'web: version 3');
    const r = await deploy();
    expect(r.stdout).toContain('the monitor is not running (stopped); deploying without a hold\n');
    expect(r.code, r.stderr).toBe(0);
    expect((await get(ports.web, '/api/version')).body).toBe('{"web":3}');
  }, 120_000);
});
