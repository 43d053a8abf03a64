import { describe, expect, it } from 'vitest';
import { compileService, compileStack, LOG_DATE_FORMAT, STACK_ENV_KEY } from '../../../src/stack/compile.js';
import type { Stack } from '../../../src/stack/types.js';
import { runtimePaths } from '../../../src/util/package-root.js';
import { load, ROOT, svc } from './given.js';

const incident = () =>
  load([
    svc.mongod,
    { ...svc.api, env: { MONGO_URL: 'mongodb://127.0.0.1:27017' }, dependsOn: ['mongod'] },
    { ...svc.bot, secrets: ['TELEGRAM_BOT_TOKEN'], env: { API_V2_URL: 'http://127.0.0.1:8002' }, dependsOn: ['api'] },
    { ...svc.node, nodeArgs: ['--enable-source-maps'] },
    svc.monitor,
  ]);

const app = (stack: Stack, name: string) => {
  const s = stack.services.find((x) => x.name === name);
  if (!s) throw new Error(name);
  return compileService(stack, s);
};

const common = { namespace: 'bot', exec_mode: 'fork', instances: 1, watch: false, autorestart: true, treekill: true, merge_logs: true, log_date_format: LOG_DATE_FORMAT };
const identity = (name: string) => ({ BOTSTACK_PROFILE: 'production', BOTSTACK_SERVICE: name, BOTSTACK_STACK_NAME: 'bot' });
const logs = (name: string) => ({ out_file: `${ROOT}/logs/${name}.out.log`, error_file: `${ROOT}/logs/${name}.err.log` });

describe('compileService: every key pm2 receives', () => {
  it('mongod: direct exec, 60 s kill_timeout, no memory restart', () => {
    expect(app(incident(), 'mongod')).toStrictEqual({
      name: 'mongod', ...common, script: 'mongod', interpreter: 'none', cwd: ROOT,
      args: ['--dbpath', `${ROOT}/data/db`, '--bind_ip', '127.0.0.1', '--port', '27017'],
      max_restarts: 10, min_uptime: 15_000, exp_backoff_restart_delay: 1000, kill_timeout: 60_000,
      ...logs('mongod'), env: identity('mongod'),
    });
  });

  it('uvicorn: venv python runs the socket holder with venv uvicorn behind `--`, 512M, 15 s, line-buffered output, probe path for the access-log filter and the health gate', () => {
    expect(app(incident(), 'api')).toStrictEqual({
      name: 'api', ...common, script: runtimePaths.sockhold(), interpreter: `${ROOT}/venv/bin/python`, cwd: ROOT,
      args: ['--', `${ROOT}/venv/bin/uvicorn`, 'api_v2.app:app', '--host', '127.0.0.1', '--port', '8002'],
      max_memory_restart: '512M', max_restarts: 10, min_uptime: 10_000, exp_backoff_restart_delay: 500, kill_timeout: 15_000,
      ...logs('api'),
      env: {
        MONGO_URL: 'mongodb://127.0.0.1:27017', ...identity('api'), PYTHONUNBUFFERED: '1', PYTHONPATH: runtimePaths.pythonPath(), BOTSTACK_PROBE_PATH: '/health',
        BOTSTACK_SOCKHOLD_DIR: `${ROOT}/logs/sockhold/api`, BOTSTACK_STOP_TIMEOUT_MS: '15000', BOTSTACK_GATE_TIMEOUT_MS: '10000', BOTSTACK_START_TIMEOUT_MS: '40000', BOTSTACK_GATE_STATUS: '200',
      },
    });
  });

  it('python with a secret: envexec.py reads the env file, the secret\'s value is nowhere in the app', () => {
    const bot = app(incident(), 'bot');
    expect(bot).toStrictEqual({
      name: 'bot', ...common, script: runtimePaths.envExec(), interpreter: `${ROOT}/venv/bin/python`, cwd: ROOT,
      args: [`${ROOT}/.env`, `${ROOT}/bot/main.py`],
      max_memory_restart: '300M', max_restarts: 10, min_uptime: 10_000, exp_backoff_restart_delay: 500, kill_timeout: 10_000,
      ...logs('bot'), env: {
        API_V2_URL: 'http://127.0.0.1:8002', ...identity('bot'), PYTHONUNBUFFERED: '1', PYTHONPATH: runtimePaths.pythonPath(),
        // redactLogs is on by default for a service with secrets: the hook gets the key names and the file, never a value.
        BOTSTACK_REDACT_KEYS: 'TELEGRAM_BOT_TOKEN', BOTSTACK_REDACT_ENV_FILE: `${ROOT}/.env`,
      },
    });
    const { BOTSTACK_REDACT_KEYS: _names, ...rest } = bot.env;
    expect(JSON.stringify({ ...bot, env: rest })).not.toContain('TELEGRAM_BOT_TOKEN');
  });

  it('redactLogs: off when written so, on for a service without secrets when written so, never for other kinds', () => {
    const stack = incident();
    const bot = stack.services.find((s) => s.name === 'bot')!;
    expect(compileService(stack, { ...bot, redactLogs: false }).env).not.toHaveProperty('BOTSTACK_REDACT_KEYS');
    const api = stack.services.find((s) => s.kind === 'uvicorn')!;
    expect(compileService(stack, api).env).not.toHaveProperty('BOTSTACK_REDACT_ENV_FILE');
    expect(compileService(stack, { ...api, redactLogs: true }).env).toMatchObject({ BOTSTACK_REDACT_KEYS: '', BOTSTACK_REDACT_ENV_FILE: `${ROOT}/.env` });
    const worker = stack.services.find((s) => s.name === 'worker')!;
    expect(compileService(stack, { ...worker, redactLogs: true }).env).not.toHaveProperty('BOTSTACK_REDACT_ENV_FILE');
  });

  it('node: node_args only when declared, no PYTHONUNBUFFERED', () => {
    expect(app(incident(), 'worker')).toStrictEqual({
      name: 'worker', ...common, script: `${ROOT}/worker.js`, interpreter: 'node', node_args: ['--enable-source-maps'], cwd: ROOT, args: [],
      max_memory_restart: '256M', max_restarts: 10, min_uptime: 5000, exp_backoff_restart_delay: 500, kill_timeout: 5000,
      ...logs('worker'), env: identity('worker'),
    });
    expect(compileService(load([svc.node]), load([svc.node]).services[0]!)).not.toHaveProperty('node_args');
  });

  it('monitor: gets the resolved stack as JSON in its env', () => {
    const stack = incident();
    const monitor = app(stack, 'monitor');
    expect(monitor).toMatchObject({ script: runtimePaths.monitorMain(), interpreter: 'node', max_memory_restart: '128M', kill_timeout: 5000 });
    expect(JSON.parse(monitor.env[STACK_ENV_KEY] ?? '')).toEqual(JSON.parse(JSON.stringify(stack)));
  });

  it('writes declared limits in pm2\'s accepted forms', () => {
    const a = app(load([{ ...svc.api, limits: { memory: '300MB', maxRestarts: 3, minUptime: '2s', restartBackoff: '250ms' }, stop: { timeout: '1m' } }]), 'api');
    expect(a).toMatchObject({ max_memory_restart: '300M', max_restarts: 3, min_uptime: 2000, exp_backoff_restart_delay: 250, kill_timeout: 60_000 });
    expect(app(load([{ ...svc.api, limits: { memory: '1.5G' } }]), 'api').max_memory_restart).toBe('1536M');
    expect(app(load([{ ...svc.api, limits: { memory: false } }]), 'api')).not.toHaveProperty('max_memory_restart');
  });

  it('marks the profile in the env, and carries --reload only in development', () => {
    const dev = load([{ ...svc.api, reloadInDevelopment: true }], { env: { BOTSTACK_ENV: 'development' } });
    const a = app(dev, 'api');
    expect(a.env.BOTSTACK_PROFILE).toBe('development');
    expect(a.args).toEqual(['api_v2.app:app', '--host', '127.0.0.1', '--port', '8002', '--reload']);
    expect(a.watch).toBe(false);
  });
});

describe('compileStack', () => {
  it('emits one app per service, in stack order, with values pm2 keeps as written', () => {
    const apps = compileStack(incident());
    expect(apps.map((a) => a.name)).toEqual(['mongod', 'api', 'bot', 'worker', 'monitor']);
    for (const a of apps) {
      expect(a.watch).toBe(false);
      expect(a.max_memory_restart ?? '1M').toMatch(/^\d+(G|M|K)$/);
      // pm2 drops falsy values and rejects min_uptime under 100.
      expect(a.kill_timeout).toBeGreaterThan(0);
      expect(a.exp_backoff_restart_delay).toBeGreaterThan(0);
      expect(a.max_restarts).toBeGreaterThan(0);
      expect(a.min_uptime).toBeGreaterThanOrEqual(100);
      // pm2 flattens one-element arrays into numbers; args are strings, so at worst a string.
      expect(a.args.every((x) => typeof x === 'string')).toBe(true);
    }
  });

  it('returns new objects and never mutates the stack', () => {
    const stack = deepFreeze(incident());
    const before = JSON.stringify(stack);
    const apps = compileStack(stack);
    expect(JSON.stringify(stack)).toBe(before);
    const api = stack.services[1]!;
    const compiled = apps[1]!;
    expect(compiled.args).not.toBe(api.launch.args);
    expect(compiled.env).not.toBe(api.env);
    expect(compileStack(stack)[1]).not.toBe(compiled);
    (compiled.args as string[]).push('--mutated');
    expect(api.launch.args).not.toContain('--mutated');
  });
});

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
