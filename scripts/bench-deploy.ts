// Failed requests while new api code goes live, under 50 requests/s to the api,
// three ways in the same run, against the same fixture project in real git:
//   1. `botstack deploy` (pm2, only api restarts, gated on health, monitor holding);
//   2. a plain `pm2 restart api` after a `git pull` (what an operator does by hand);
//   3. the incident's way: uvicorn --reload in a clone, and a `git pull` into it.
// Then a broken commit (/health answers 500) each way: what `deploy` does (roll
// back) against what --reload does (serve the broken code until the next pull).
//   npx tsx scripts/bench-deploy.ts [trials=3]
// Loopback only; every loop is bounded by a trial count or a deadline.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import { waitHealthy } from '../src/ops/shared/readiness.js';
import { compileStack } from '../src/stack/compile.js';
import { loadStack } from '../src/rules/stack-load.js';
import { pidAlive } from '../src/util/proctree.js';
import { waitFor } from '../src/util/timeout.js';
import { Cleanup } from '../test/helpers/cleanup.js';
import { freePort } from '../test/helpers/ports.js';
import { git, makeGitProject } from '../test/helpers/git-project.js';
import { startPm2 } from '../test/helpers/pm2.js';
import { REPO } from '../test/helpers/project.js';
import { botStackInput, randomPorts } from '../test/helpers/stack.js';

const trials = Number(process.argv[2] ?? 3);
const RATE = 50;
const API_APP = readFileSync(join(REPO, 'test/fixtures/project/api_v2/app.py'), 'utf8');
const version = (n: number) => `${API_APP}\n\n@app.get("/version")\ndef version():\n    return {"version": ${n}}\n`;
const broken = (n: number) => version(n).replace('def health():\n', 'def health():\n    return JSONResponse({"status": "broken"}, status_code=500)\n');
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One paced load generator: a request every 20 ms, not waiting for the last; each remembered with its start. */
function load(port: () => number) {
  const results: { at: number; ok: boolean }[] = [];
  let stop = false;
  const one = () => {
    const at = performance.now();
    const req = http.get({ host: '127.0.0.1', port: port(), path: '/health', agent, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => results.push({ at, ok: res.statusCode === 200 }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => results.push({ at, ok: false }));
  };
  const run = (async () => {
    for (let next = performance.now(); !stop; next += 1000 / RATE) {
      const wait = next - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      one();
    }
  })();
  return {
    window: (from: number, to: number) => {
      const w = results.filter((r) => r.at >= from && r.at < to);
      return { requests: w.length, failed: w.filter((r) => !r.ok).length };
    },
    stop: async () => {
      stop = true;
      await run;
      await new Promise((r) => setTimeout(r, 2100));
    },
  };
}

const cleanup = new Cleanup();
const out: Record<string, unknown>[] = [];
try {
  const d = await startPm2(cleanup);
  const ports = await randomPorts();
  const p = makeGitProject(botStackInput('/unused', ports, { monitor: true }));
  cleanup.add(() => [p.root, p.remote, p.dev].forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const r = await loadStack(p.config, { env: {} });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  await d.client.start(compileStack(r.stack), 60_000);
  for (const s of r.stack.services) if (!(await waitHealthy(d.client, s, { deadlineMs: 60_000 })).ok) throw new Error(`${s.name} not healthy`);

  // The incident's api: uvicorn --reload in its own clone, the same venv, its own port.
  const reloadDir = join(p.root, '..', `${p.root.split('/').pop()}-reload`);
  git(p.dev, 'clone', '--quiet', p.remote, reloadDir);
  cleanup.add(() => rmSync(reloadDir, { recursive: true, force: true }));
  const reloadPort = await freePort();
  const uv = spawn(join(p.root, 'venv', 'bin', 'python'), ['-m', 'uvicorn', 'api_v2.app:app', '--reload', '--host', '127.0.0.1', '--port', String(reloadPort)], { cwd: reloadDir, env: { ...process.env, MONGO_PORT: String(ports.mongo) }, stdio: 'ignore', detached: true });
  cleanup.add(() => uv.pid && pidAlive(uv.pid) && process.kill(-uv.pid, 'SIGKILL'));

  const env = { PM2_HOME: d.home, PATH: process.env.PATH, HOME: process.env.HOME };
  const io = { stdout: { write: () => true }, stderr: { write: () => true }, env, cwd: p.root };
  const answers = async (port: number, path: string, body: string) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`).catch(() => null);
    return res && res.status === 200 && (await res.text()) === body ? true : undefined;
  };
  const healthy = (port: number) => () => fetch(`http://127.0.0.1:${port}/health`).then((x) => (x.ok ? (true as const) : undefined), () => undefined);
  await waitFor('the --reload api answers', healthy(reloadPort), { timeoutMs: 60_000 });

  let n = 0;
  const trial = async (way: string, target: number, act: () => Promise<unknown>, done: () => Promise<true | undefined>) => {
    const gen = load(() => target);
    await new Promise((res) => setTimeout(res, 2000));
    const t0 = performance.now();
    const extra = await act();
    await waitFor(`${way} live`, done, { timeoutMs: 120_000, intervalMs: 50 });
    const t1 = performance.now();
    await new Promise((res) => setTimeout(res, 2000));
    await gen.stop();
    const w = gen.window(t0, t1 + 2000);
    const row = { way, ...w, liveAfterMs: Math.round(t1 - t0), ...(extra && typeof extra === 'object' ? extra : {}) };
    out.push(row);
    process.stderr.write(JSON.stringify(row) + '\n');
  };
  for (let i = 0; i < trials; i++) {
    n += 1;
    p.commit({ 'api_v2/app.py': version(n) }, `api: version ${n}`);
    await trial('botstack deploy', ports.api, () => main(['deploy', '--config', p.config], io), () => answers(ports.api, '/version', `{"version":${n}}`));
    n += 1;
    p.commit({ 'api_v2/app.py': version(n) }, `api: version ${n}`);
    await trial('git pull + pm2 restart api', ports.api, async () => {
      git(p.root, 'pull', '--quiet', '--ff-only');
      await d.client.restart('api', 60_000);
    }, () => answers(ports.api, '/version', `{"version":${n}}`));
    await trial('uvicorn --reload + git pull', reloadPort, async () => git(reloadDir, 'pull', '--quiet', '--ff-only'), () => answers(reloadPort, '/version', `{"version":${n}}`));
  }
  // A broken commit: deploy rolls back (after the start grace, 30 s by default, or
  // --health-timeout); --reload serves it until the next pull. Window for --reload: 31 s after the pull.
  const recs = join(p.root, 'logs', 'deploy.jsonl');
  for (let i = 0; i < Math.max(1, Math.floor(trials / 2) + 1); i++) {
    n += 1;
    const good = git(p.root, 'rev-parse', 'HEAD');
    p.commit({ 'api_v2/app.py': broken(n) }, `api: broken ${n}`);
    for (const extra of [[], ['--health-timeout', '5s']]) {
      await trial(`${['botstack deploy', ...extra].join(' ')}, broken commit`, ports.api, async () => {
        const code = await main(['deploy', '--config', p.config, ...extra], io);
        const rec = JSON.parse(readFileSync(recs, 'utf8').trim().split('\n').at(-1)!) as { steps: { step: string; ms: number }[]; totalMs: number; result: string };
        const rollbackMs = rec.steps.filter((s) => s.step.startsWith('rollback')).reduce((a, s) => a + s.ms, 0);
        return { exit: code, result: rec.result, deployTotalMs: rec.totalMs, rollbackMs, headBack: git(p.root, 'rev-parse', 'HEAD') === good };
      }, healthy(ports.api));
    }
    const gen = load(() => reloadPort);
    await new Promise((res) => setTimeout(res, 1000));
    const t0 = performance.now();
    git(reloadDir, 'pull', '--quiet', '--ff-only');
    await new Promise((res) => setTimeout(res, 31_000));
    await gen.stop();
    const row = { way: 'uvicorn --reload + git pull, broken commit (31 s after the pull)', ...gen.window(t0, t0 + 31_000) };
    out.push(row);
    process.stderr.write(JSON.stringify(row) + '\n');
    // Both get the fix before the next trial.
    n += 1;
    p.commit({ 'api_v2/app.py': version(n) }, `api: fixed ${n}`);
    await main(['deploy', '--config', p.config], io);
    git(reloadDir, 'pull', '--quiet', '--ff-only');
    await waitFor('the --reload api fixed', () => answers(reloadPort, '/version', `{"version":${n}}`), { timeoutMs: 60_000, intervalMs: 100 });
  }
  console.log(JSON.stringify({ rate: RATE, trials, rows: out }));
} finally {
  agent.destroy();
  await cleanup.run();
  process.exit();
}
