import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimePaths } from '../../src/util/package-root.js';
import { sleep } from '../../src/util/timeout.js';
import { Cleanup } from '../helpers/cleanup.js';
import { startPm2, type TestDaemon } from '../helpers/pm2.js';
import { assertFree } from '../helpers/ports.js';
import { makeProject, MONGOD_STANDIN, REPO, USER_PROJECT } from '../helpers/project.js';
import { run } from '../unit/cli/ops-cli.js';

// botstack on the operator's stack as it is: test/fixtures/user-project has a
// bot that writes no heartbeat and prints with print(), and FastAPI apps that
// log every request. It is run with botstack's own ecosystem.config.ts, on the
// incident's ports, through the commands an operator types: plain `pm2 start`,
// `pm2 start ecosystem.config.js`, then `botstack start` and `status`.

const PM2_BIN = join(REPO, 'node_modules', '.bin', 'pm2');
const CONFIG = join(REPO, 'ecosystem.config.ts');
const PORTS = { mongod: 27017, api: 8002, web: 8003 };
const NAMES = ['mongod', 'api', 'web', 'bot', 'monitor'];
/** How long the stack runs untouched before its logs and restart counts are judged. */
const WATCH_MS = 75_000;

/** The monitor's own probe lines in a uvicorn access log. */
const probeLines = (log: string, path: string) => log.split('\n').filter((l) => l.includes(`"GET ${path} HTTP/1.1" 200`));

describe("botstack on the user's own stack (no heartbeat, chatty logs), with the default ecosystem.config.ts", () => {
  const cleanup = new Cleanup();
  let d: TestDaemon;
  let root: string;
  let env: NodeJS.ProcessEnv;
  const pm2 = (args: string[], extra: NodeJS.ProcessEnv = {}) => execa(PM2_BIN, args, { cwd: REPO, env: { ...env, ...extra }, extendEnv: false, reject: false, timeout: 60_000 });
  const botstack = (argv: string[]) => run(argv, { env, cwd: REPO });
  const log = (name: string) => readFileSync(join(root, 'logs', name), 'utf8');

  beforeAll(async () => {
    for (const [owner, port] of Object.entries(PORTS)) await assertFree(port, owner);
    if (!existsSync(runtimePaths.monitorMain())) throw new Error(`${runtimePaths.monitorMain()} is missing; run \`npm run build\` (npm test does it first).`);
    d = await startPm2(cleanup);
    root = makeProject(USER_PROJECT);
    env = { PATH: process.env.PATH, HOME: process.env.HOME, PM2_HOME: d.home, BOTSTACK_ROOT: root, BOTSTACK_MONGOD: MONGOD_STANDIN };
  });
  afterAll(() => cleanup.run());

  it('plain `pm2 start` (no arguments) loads ecosystem.config.js and brings all five apps online', async () => {
    const r = await pm2(['start']);
    expect(r.exitCode, r.stderr).toBe(0);
    const list = await d.until('all five online', (l) => l.length === 5 && l.every((p) => p.status === 'online' && p.pid > 0));
    expect(list.map((p) => p.name)).toEqual(NAMES);
    expect((await pm2(['delete', 'all'])).exitCode).toBe(0);
    await d.until('the stack is gone', (l) => l.length === 0);
  });

  it('`pm2 start ecosystem.config.js` does the same; a bad stack through it starts nothing and says why', async () => {
    const bad = await pm2(['start', 'ecosystem.config.js'], { BOTSTACK_VENV: join(root, 'no-such-venv') });
    expect(bad.stderr + bad.stdout).toContain('nothing was started');
    expect(bad.stderr + bad.stdout).toContain(join(root, 'no-such-venv', 'bin', 'python'));
    expect(await d.client.list()).toEqual([]);
    const r = await pm2(['start', 'ecosystem.config.js']);
    expect(r.exitCode, r.stderr).toBe(0);
    await d.until('all five online', (l) => l.length === 5 && l.every((p) => p.status === 'online' && p.pid > 0));
    expect((await pm2(['delete', 'all'])).exitCode).toBe(0);
    await d.until('the stack is gone', (l) => l.length === 0);
  });

  it('`botstack start` exits 0: the bot is gated on staying up past min_uptime, and every line times its own service', async () => {
    const r = await botstack(['start', '--config', CONFIG]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const seconds = (name: string) => Number(new RegExp(`^${name} .* in (\\d+\\.\\d) s$`, 'm').exec(r.stdout)?.[1]);
    expect(r.stdout).toMatch(/^bot +up \(stayed online for its min_uptime, 10 s\) in \d+\.\d s$/m);
    expect(r.stdout).toMatch(/^web +healthy \(probe \d+ms\) in \d+\.\d s$/m);
    // web and bot start together (one level); web's line is its own time, not its level's.
    expect(seconds('bot')).toBeGreaterThanOrEqual(10);
    expect(seconds('web')).toBeLessThan(seconds('bot'));
    expect(r.stdout).toMatch(/telegram-bot: all 5 services healthy in \d+\.\d s \(5 started\)\n$/);
  });

  it(`runs ${WATCH_MS / 1000} s untouched: nothing restarted or given up, the probes out of the logs, the user's own lines kept whole`, async () => {
    const started = performance.now();
    // The earlier tests' api and web processes wrote to the same files: count only this window's lines.
    const apiFrom = log('api.out.log').length;
    const webFrom = log('web.out.log').length;
    const mine = 20;
    for (let i = 0; i < mine; i++) {
      const res = await fetch(`http://127.0.0.1:${PORTS.api}/api/v2/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ telegram_id: i, username: `u${i}` }) });
      expect(res.status).toBe(200);
    }
    // The invariant is watched for the whole window, not looked at once at its end.
    while (performance.now() - started < WATCH_MS) {
      const list = (await d.client.list()).sort((a, b) => NAMES.indexOf(a.name) - NAMES.indexOf(b.name));
      expect(list.map((p) => [p.name, p.status, p.restarts])).toEqual(NAMES.map((n) => [n, 'online', 0]));
      await sleep(2000);
    }
    const status = await botstack(['status', '--config', CONFIG, '--json']);
    expect(status.code, status.stdout).toBe(0);
    const report = JSON.parse(status.stdout) as { healthSource: string; services: { name: string; health: string; restarts: number; note: string | null }[] };
    expect(report.healthSource).toBe('monitor');
    expect(report.services.map((s) => [s.name, s.health, s.restarts]).sort()).toEqual(NAMES.map((n) => [n, 'healthy', 0]).sort());
    expect(report.services.find((s) => s.name === 'bot')?.note).toMatch(/^heartbeat not set up: /);
    const text = await botstack(['status', '--config', CONFIG]);
    expect(text.stdout).toContain('\nbot: heartbeat not set up: pm2 restarts the service if it exits, but a hang goes unseen; to see hangs, add the heartbeat (docs/heartbeat.md)\n');

    // Probes: the monitor asked api and web about once a second; their logs kept at most one such line a minute.
    const api = log('api.out.log');
    const web = log('web.out.log');
    expect(probeLines(api.slice(apiFrom), '/health').length).toBeLessThanOrEqual(2);
    expect(probeLines(web.slice(webFrom), '/api/health').length).toBeLessThanOrEqual(2);
    expect(api.split('\n').filter((l) => l.includes('"POST /api/v2/users HTTP/1.1" 200')).length).toBe(mine);
    // One print, one stamped line: print("bot polling, api at", url) never lands in pieces.
    const bot = log('bot.out.log').split('\n').filter((l) => l !== '');
    const polls = bot.filter((l) => l.includes('bot polling'));
    expect(polls.length).toBeGreaterThanOrEqual(WATCH_MS / 2000 - 5);
    for (const l of bot) expect(l).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+[+-]\d\d:\d\d: (Bot started at \d{4}-\d\d-\d\d [\d:]+|Bot stopped!|bot polling, api at http:\/\/127\.0\.0\.1:8002)$/);
  }, WATCH_MS + 60_000);

  it('doctor names the bot as "heartbeat not set up", a warning with the fix, not a failure', async () => {
    const r = await botstack(['doctor', '--config', CONFIG, '--json']);
    const { checks } = JSON.parse(r.stdout) as { checks: { check: string; level: string; message: string; fix?: string }[] };
    expect(checks.filter((x) => x.check === 'heartbeat')).toEqual([
      { check: 'heartbeat', level: 'warn', message: `bot: heartbeat not set up (${join(root, 'run', 'bot.heartbeat')} does not exist): pm2 restarts bot if it exits, but a hang goes unseen`, fix: 'optional: add the heartbeat task to bot (docs/heartbeat.md); nothing else changes' },
    ]);
  });
});
