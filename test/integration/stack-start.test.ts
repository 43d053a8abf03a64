import { runtimePaths } from '../../src/util/package-root.js';
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pm2App } from '../../src/stack/compile.js';
import { waitFor } from '../../src/util/timeout.js';
import { Cleanup } from '../helpers/cleanup.js';
import { startPm2, type TestDaemon } from '../helpers/pm2.js';
import { makeProject, REPO } from '../helpers/project.js';
import { botStackInput, compileStack, mustLoad, randomPorts, type Ports } from '../helpers/stack.js';

// The compiled apps go into a real pm2; we read back pm2's own record of each
// and require every key botstack emitted to be there exactly as compiled:
// pm2's validator drops or rewrites values without a word.

const PM2_BIN = `${REPO}/node_modules/.bin/pm2`;
const TOKEN = '123456:TEST-token-not-real';
type Env = Record<string, any>;

/** Where pm2 keeps each key we emit, and the value it must hold there. */
const PM2_VIEW: Record<keyof Pm2App, (app: Pm2App, env: Env) => [unknown, unknown]> = {
  name: (a, e) => [e.name, a.name],
  namespace: (a, e) => [e.namespace, a.namespace],
  script: (a, e) => [e.pm_exec_path, a.script],
  interpreter: (a, e) => [e.exec_interpreter, a.interpreter],
  args: (a, e) => [e.args, a.args],
  node_args: (a, e) => [e.node_args, a.node_args],
  cwd: (a, e) => [e.pm_cwd, a.cwd],
  exec_mode: (a, e) => [e.exec_mode, `${a.exec_mode}_mode`],
  instances: (a, e) => [e.instances, a.instances],
  watch: (a, e) => [e.watch, a.watch],
  autorestart: (a, e) => [e.autorestart, a.autorestart],
  max_memory_restart: (a, e) => [e.max_memory_restart, bytes(a.max_memory_restart)],
  max_restarts: (a, e) => [e.max_restarts, a.max_restarts],
  min_uptime: (a, e) => [e.min_uptime, a.min_uptime],
  exp_backoff_restart_delay: (a, e) => [e.exp_backoff_restart_delay, a.exp_backoff_restart_delay],
  kill_timeout: (a, e) => [e.kill_timeout, a.kill_timeout],
  treekill: (a, e) => [e.treekill, a.treekill],
  out_file: (a, e) => [e.pm_out_log_path, a.out_file],
  error_file: (a, e) => [e.pm_err_log_path, a.error_file],
  merge_logs: (a, e) => [e.merge_logs, a.merge_logs],
  log_date_format: (a, e) => [e.log_date_format, a.log_date_format],
  env: (a, e) => [pick(e.env, Object.keys(a.env)), a.env],
};

function bytes(size: string | undefined): number | undefined {
  if (size === undefined) return undefined;
  const m = /^(\d+)([KMG])$/.exec(size);
  if (!m) throw new Error(`not a pm2 size: ${size}`);
  return Number(m[1]) * { K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2] as 'K' | 'M' | 'G'];
}

const pick = (o: Env, keys: string[]) => Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));

describe('a botstack stack started in a real pm2', () => {
  const cleanup = new Cleanup();
  let d: TestDaemon;
  let apps: Pm2App[];
  let ports: Ports;
  let root: string;

  beforeAll(async () => {
    d = await startPm2(cleanup);
    ports = await randomPorts();
    root = makeProject();
    apps = compileStack(mustLoad(botStackInput(root, ports, { monitor: true })));
    await d.client.start(apps);
    await d.until('all five apps online', (l) => l.length === 5 && l.every((p) => p.status === 'online' && p.pid > 0));
  });
  afterAll(() => cleanup.run());

  it('holds every emitted key exactly as compiled: nothing dropped or changed by pm2', async () => {
    const raw = await d.client.rawList();
    for (const app of apps) {
      const env = raw.find((r) => r.name === app.name)?.pm2_env as Env;
      for (const key of Object.keys(app) as (keyof Pm2App)[]) {
        const [held, emitted] = PM2_VIEW[key](app, env);
        expect({ app: app.name, key, value: held }).toEqual({ app: app.name, key, value: emitted });
      }
    }
  });

  it('runs every app with watch off, its memory limit, kill_timeout and restart policy', async () => {
    const byName = new Map((await d.client.list()).map((p) => [p.name, p]));
    expect(byName.get('mongod')).toMatchObject({ watch: false, maxMemoryRestart: null, killTimeout: 60_000, minUptime: 15_000, maxRestarts: 10, autorestart: true });
    expect(byName.get('api')).toMatchObject({ watch: false, maxMemoryRestart: 512 * 1024 ** 2, killTimeout: 15_000, interpreter: `${root}/venv/bin/python`, execPath: runtimePaths.sockhold() });
    expect(byName.get('bot')).toMatchObject({ watch: false, maxMemoryRestart: 300 * 1024 ** 2, killTimeout: 10_000 });
  });

  it('gives each service its own timestamped log files under the stack\'s log dir', async () => {
    await answers(`http://127.0.0.1:${ports.api}/health`);
    await answers(`http://127.0.0.1:${ports.web}/api/health`);
    const marks: Record<string, [string, string]> = {
      mongod: ['out', `waiting for connections on 127.0.0.1:${ports.mongo}`],
      api: ['out', '"GET /health HTTP/1.1" 200'],
      web: ['out', '"GET /api/health HTTP/1.1" 200'],
      bot: ['out', 'bot: started, token present'],
    };
    for (const [name, [stream, mark]] of Object.entries(marks)) {
      const file = `${root}/logs/${name}.${stream}.log`;
      const line = await waitFor(`${name}'s ${stream} log shows "${mark}"`, () => readLog(file).find((l) => l.includes(mark)), { timeoutMs: 15_000 });
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d: /);
      for (const other of Object.keys(marks).filter((n) => n !== name)) {
        expect(readLog(`${root}/logs/${other}.out.log`).join('\n')).not.toContain(mark);
      }
    }
    expect(readLog(`${root}/logs/api.err.log`).join('\n')).toContain(`Uvicorn running on http://127.0.0.1:${ports.api}`);
    expect(readLog(`${root}/logs/web.err.log`).join('\n')).toContain(`Uvicorn running on http://127.0.0.1:${ports.web}`);
    const files = apps.flatMap((a) => [a.out_file, a.error_file]);
    expect(new Set(files).size).toBe(files.length);
    for (const f of files) expect(f.startsWith(`${root}/logs/`)).toBe(true);
  });

  it('keeps the bot token out of pm2, while the bot itself has it', async () => {
    expect(JSON.stringify(await d.client.rawList())).not.toContain(TOKEN);
    // pm2 save writes every app's resolved env into dump.pm2 for resurrect at boot.
    // Through the CLI: Pm2Client.save() writes to the dump of the PM2_HOME pm2 was
    // first required with, not the client's home (reported, src/pm2 is not ours).
    await execa(PM2_BIN, ['save', '--force'], { env: { PM2_HOME: d.home } });
    expect(readFileSync(`${d.home}/dump.pm2`, 'utf8')).not.toContain(TOKEN);
    const bot = await d.proc('bot');
    expect(bot.env).not.toHaveProperty('TELEGRAM_BOT_TOKEN');
    const environ = readFileSync(`/proc/${bot.pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain(`TELEGRAM_BOT_TOKEN=${TOKEN}`);
    await waitFor('the bot logs that its token is present', () => readLog(`${root}/logs/bot.out.log`).find((l) => l.endsWith('bot: started, token present')), { timeoutMs: 15_000 });
  });
});

function readLog(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n');
  } catch {
    return [];
  }
}

async function answers(url: string): Promise<void> {
  await waitFor(`${url} answers 200`, async () => {
    try {
      return (await fetch(url)).ok ? true : undefined;
    } catch {
      return undefined;
    }
  }, { timeoutMs: 20_000, intervalMs: 100 });
}
