// The pm2 + git half of the zero-downtime benchmark (scripts/bench-zero-downtime.ts
// has the holder against its alternatives). The fixture stack in real git under
// a pm2 daemon with the monitor, its api launched two ways, switched between
// rounds (one pm2 daemon per process) and alternated:
//   "held": as botstack launches it now (api under runtime/sockhold.py);
//   "today's": the same code with BOTSTACK_SOCKHOLD=0, i.e. the launch and the
//     pm2 restarts botstack did before (the control).
// At 50 requests/s to the api on new connections, then keep-alive, each way:
// `botstack deploy` of an api change, `botstack restart api`, a heal of a
// SIGSTOPped api by the monitor, a deploy of a commit whose every route answers
// 500, and a plain `pm2 restart api`.
//   npx tsc -p tsconfig.build.json && npx tsx scripts/bench-zero-downtime-pm2.ts [trials=2]
import { readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { waitHealthy } from '../src/ops/shared/readiness.js';
import { loadStack } from '../src/rules/stack-load.js';
import { compileStack } from '../src/stack/compile.js';
import { controlDir, readHolderState } from '../src/stack/rolling.js';
import { waitFor } from '../src/util/timeout.js';
import { Cleanup } from '../test/helpers/cleanup.js';
import { makeGitProject, type GitProject } from '../test/helpers/git-project.js';
import { startLoad, type LoadShape } from '../test/helpers/http-load.js';
import { startPm2, type TestDaemon } from '../test/helpers/pm2.js';
import { REPO } from '../test/helpers/project.js';
import { botStackInput, randomPorts } from '../test/helpers/stack.js';
import { cli } from '../test/unit/cli/cli-run.js';

const trials = Number(process.argv[2] ?? 2);
const API_APP = readFileSync(join(REPO, 'test/fixtures/project/api_v2/app.py'), 'utf8');
const version = (n: number) => `${API_APP}\n\n@app.get("/version")\ndef version():\n    return {"version": ${n}}\n`;
const every500 = (n: number) => `${version(n)}\n\n@app.middleware("http")\nasync def broken(request, call_next):\n    return JSONResponse({"broken": True}, status_code=500)\n`;
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Copy {
  label: string;
  readonly d: TestDaemon;
  readonly p: GitProject;
  readonly port: number;
  readonly logDir: string;
  env: Record<string, string | undefined>;
}

async function copy(cleanup: Cleanup): Promise<Copy> {
  const d = await startPm2(cleanup);
  const ports = await randomPorts();
  const p = makeGitProject(botStackInput('/unused', ports, { monitor: true }));
  cleanup.add(() => [p.root, p.remote, p.dev].forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const r = await loadStack(p.config, { env: {} });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  // Many heals in a row on purpose: the heal budget (a storm bound) must not be what a trial measures.
  const apps = compileStack(r.stack).map((a) => (a.name === 'monitor' ? { ...a, env: { ...a.env, BOTSTACK_MONITOR_POLICY: '{"maxHeals":100,"healWindowMs":1000}' } } : a));
  await d.client.start(apps, 60_000);
  for (const s of r.stack.services) if (!(await waitHealthy(d.client, s, { deadlineMs: 60_000 })).ok) throw new Error(`${s.name} not healthy`);
  return { label: 'held (botstack now)', d, p, port: ports.api, logDir: r.stack.logDir, env: { PM2_HOME: d.home, PATH: process.env.PATH, HOME: process.env.HOME } };
}

/** Relaunch the api held (botstack now) or not (BOTSTACK_SOCKHOLD=0: today's launch). */
async function launchAs(c: Copy, held: boolean): Promise<void> {
  const extra: Record<string, string> = held ? {} : { BOTSTACK_SOCKHOLD: '0' };
  const r = await loadStack(c.p.config, { env: extra });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  const api = r.stack.services.find((s) => s.name === 'api')!;
  await c.d.client.delete('api', 60_000);
  await c.d.client.start(compileStack(r.stack).filter((a) => a.name === 'api'), 60_000);
  if (!(await waitHealthy(c.d.client, api, { deadlineMs: 60_000 })).ok) throw new Error('api not healthy');
  await settle(3000); // the monitor sees it healthy again before the next trial
  c.label = held ? 'held (botstack now)' : "today's (BOTSTACK_SOCKHOLD=0)";
  c.env = { PM2_HOME: c.d.home, PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
}

const answers = (c: Copy, n: number) => async () => {
  const r = await fetch(`http://127.0.0.1:${c.port}/version`).catch(() => null);
  return r && r.status === 200 && (await r.text()) === `{"version":${n}}` ? true : undefined;
};
const healthy = (c: Copy) => () => fetch(`http://127.0.0.1:${c.port}/health`).then((r) => (r.ok ? true : undefined), () => undefined);
/** The process that serves the api: the holder's uvicorn child, or pm2's own process. */
const servingPid = async (c: Copy, held: boolean) => (held ? readHolderState(controlDir(c.logDir, 'api'))?.child ?? 0 : ((await c.d.client.get('api'))?.pid ?? 0));

const rows: Record<string, unknown>[] = [];
async function trial(c: Copy, way: string, shape: LoadShape, act: () => Promise<Record<string, unknown> | void>) {
  const load = startLoad({ port: () => c.port, shape, timeoutMs: 10_000, maxMs: 180_000 });
  await settle(1000);
  const t0 = performance.now();
  const extra = (await act()) ?? {};
  const actMs = Math.round(performance.now() - t0);
  await settle(2000);
  await load.stop();
  const row = { stack: c.label, way, shape, ...load.window(0, Infinity), actMs, ...extra };
  rows.push(row);
  process.stderr.write(JSON.stringify(row) + '\n');
}

const cleanup = new Cleanup();
try {
  const c = await copy(cleanup);
  let n = 0;
  for (let t = 0; t < trials; t++) {
    for (const shape of ['new-connections', 'keep-alive'] as const) {
      for (const held of t % 2 === 0 ? [true, false] : [false, true]) {
        await launchAs(c, held);
        n += 1;
        c.p.commit({ 'api_v2/app.py': version(n) }, `api: version ${n}`);
        await trial(c, 'botstack deploy, api change', shape, async () => {
          const r = await cli(['deploy', '--config', c.p.config], c.env);
          if (r.code !== 0) process.stderr.write(`${c.label}: deploy exited ${r.code}:\n${r.stdout}${r.stderr}\n`);
          await waitFor('new version', answers(c, n), { timeoutMs: 60_000, intervalMs: 20 });
          return { exit: r.code };
        });
        await trial(c, 'botstack restart api', shape, async () => ({ exit: (await cli(['restart', 'api', '--config', c.p.config], c.env)).code }));
        await trial(c, 'heal of a SIGSTOPped api (the monitor)', shape, async () => {
          const pid = await servingPid(c, held);
          process.kill(pid, 'SIGSTOP');
          await waitFor('the monitor replaced it', async () => ((await servingPid(c, held)) !== pid && (await healthy(c)()) ? true : undefined), { timeoutMs: 60_000, intervalMs: 50 });
        });
        c.p.commit({ 'api_v2/app.py': every500(n + 1) }, 'api: every route 500');
        await trial(c, 'botstack deploy, every route answers 500', shape, async () => {
          const r = await cli(['deploy', '--config', c.p.config, '--health-timeout', '10s'], c.env);
          await waitFor('old version back', answers(c, n), { timeoutMs: 60_000, intervalMs: 20 });
          return { exit: r.code };
        });
        n += 1;
        c.p.commit({ 'api_v2/app.py': version(n) }, `api: fixed ${n}`);
        const fixed = await cli(['deploy', '--config', c.p.config], c.env);
        if (fixed.code !== 0) process.stderr.write(`${c.label}: the fix's deploy exited ${fixed.code}:\n${fixed.stdout}${fixed.stderr}\n`);
        await trial(c, 'control: plain pm2 restart api', shape, async () => {
          await c.d.client.restart('api', 60_000);
          await waitFor('api back', answers(c, n), { timeoutMs: 60_000, intervalMs: 20 });
        });
      }
    }
  }
  console.log(JSON.stringify({ rate: 50, trials, load: loadavg(), rows }));
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await cleanup.run().catch((e: unknown) => console.error(e));
  process.exit(process.exitCode);
}
