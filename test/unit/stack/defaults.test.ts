import { unheld } from '../../../src/stack/launch-held.js';
import { describe, expect, it } from 'vitest';
import { KIND_DEFAULTS } from '../../../src/stack/defaults.js';
import { runtimePaths } from '../../../src/util/package-root.js';
import { load, one, ROOT, svc } from './given.js';

const MiB = 1024 ** 2;
const FAST = { intervalMs: 1000, timeoutMs: 1000, failureThreshold: 3, startGraceMs: 30_000 };

describe('defaults by kind', () => {
  it.each([
    // kind, stop ms, memory bytes, min uptime, max restarts, backoff
    ['mongod', svc.mongod, 60_000, null, 15_000, 10, 1000],
    ['uvicorn', svc.api, 15_000, 512 * MiB, 10_000, 10, 500],
    ['python', svc.bot, 10_000, 300 * MiB, 10_000, 10, 500],
    ['node', svc.node, 5000, 256 * MiB, 5000, 10, 500],
    ['command', svc.command, 10_000, null, 10_000, 10, 500],
    ['monitor', svc.monitor, 5000, 128 * MiB, 5000, 10, 500],
  ] as const)('%s: stop %d ms, memory %s, min uptime %d ms, %d restarts, backoff %d ms', (_k, input, stop, memory, minUptime, maxRestarts, backoff) => {
    const s = one(input);
    expect(s.stopTimeoutMs).toBe(stop);
    expect(s.memoryBytes).toBe(memory);
    expect(s.minUptimeMs).toBe(minUptime);
    expect(s.maxRestarts).toBe(maxRestarts);
    expect(s.restartBackoffMs).toBe(backoff);
  });

  it('gives mongod far more than pm2\'s 1.6 s to stop, and no memory restart', () => {
    expect(KIND_DEFAULTS.mongod.stopTimeoutMs).toBeGreaterThanOrEqual(30_000);
    expect(KIND_DEFAULTS.mongod.memoryBytes).toBeNull();
  });

  it('binds to 127.0.0.1, never watches or reloads, and has no deps, env or secrets', () => {
    for (const input of Object.values(svc)) {
      const s = one(input);
      expect(s).toMatchObject({ host: '127.0.0.1', watch: false, reload: false, dependsOn: [], env: {}, secrets: [], cwd: ROOT });
    }
  });

  it('gives mongod port 27017 and a mongo ping health check, others no port unless declared', () => {
    expect(one(svc.mongod).port).toBe(27017);
    expect(one(svc.mongod).health).toEqual({ type: 'mongo', intervalMs: 2000, timeoutMs: 1000, failureThreshold: 3, startGraceMs: 60_000 });
    expect(one(svc.bot).port).toBeNull();
    expect(one(svc.node).port).toBeNull();
  });

  it('gives uvicorn an http check on /health expecting 200, others none', () => {
    expect(one(svc.api).health).toEqual({ type: 'http', path: '/health', expectStatus: 200, ...FAST });
    for (const input of [svc.bot, svc.node, svc.command, svc.monitor]) expect(one(input).health).toEqual({ type: 'none' });
  });

  it('fills a heartbeat check: file relative to cwd, max age 60 s, 5 s interval', () => {
    const s = one({ ...svc.bot, cwd: 'bot', health: { type: 'heartbeat', file: 'run/hb' } });
    expect(s.health).toEqual({ type: 'heartbeat', file: `${ROOT}/bot/run/hb`, maxAgeMs: 60_000, intervalMs: 5000, timeoutMs: 1000, failureThreshold: 2, startGraceMs: 60_000 });
  });

  it('keeps declared health timings, converted to ms', () => {
    const s = one({ ...svc.api, health: { type: 'http', path: '/api/health', expectStatus: 204, interval: '2s', timeout: 500, failureThreshold: 5, startGrace: '1m' } });
    expect(s.health).toEqual({ type: 'http', path: '/api/health', expectStatus: 204, intervalMs: 2000, timeoutMs: 500, failureThreshold: 5, startGraceMs: 60_000 });
  });

  it('overrides every limit the service declares', () => {
    const s = one({ ...svc.api, limits: { memory: '1G', maxRestarts: 3, minUptime: '30s', restartBackoff: '2s' }, stop: { timeout: '45s' } });
    expect(s).toMatchObject({ memoryBytes: 1024 ** 3, maxRestarts: 3, minUptimeMs: 30_000, restartBackoffMs: 2000, stopTimeoutMs: 45_000 });
  });

  it('turns the memory limit off with memory: false', () => {
    expect(one({ ...svc.api, limits: { memory: false } }).memoryBytes).toBeNull();
  });
});

describe('paths from the environment', () => {
  const stack = (env: Record<string, string>, extra = {}) => load([svc.mongod, svc.api, svc.bot], { env, stack: { root: undefined, ...extra } });

  it('defaults to the incident layout under /v3', () => {
    const s = stack({});
    expect(s).toMatchObject({ root: '/v3', venv: '/v3/venv', logDir: '/v3/logs', envFile: '/v3/.env', profile: 'production' });
    expect(s.services[0]?.launch).toEqual({ interpreter: 'none', script: 'mongod', args: ['--dbpath', '/v3/data/db', '--bind_ip', '127.0.0.1', '--port', '27017'] });
    expect(s.services[1]?.launch.interpreter).toBe('/v3/venv/bin/python');
    expect(s.services[1]?.outFile).toBe('/v3/logs/api.out.log');
    expect(s.services[1]?.errFile).toBe('/v3/logs/api.err.log');
  });

  it('reads BOTSTACK_ROOT, BOTSTACK_VENV, BOTSTACK_LOG_DIR, BOTSTACK_MONGOD and BOTSTACK_MONGO_DBPATH', () => {
    const s = stack({ BOTSTACK_ROOT: '/opt/tg', BOTSTACK_VENV: '/opt/py', BOTSTACK_LOG_DIR: '/var/log/tg', BOTSTACK_MONGOD: '/usr/local/bin/mongod', BOTSTACK_MONGO_DBPATH: '/data/mongo' });
    expect(s).toMatchObject({ root: '/opt/tg', venv: '/opt/py', logDir: '/var/log/tg', envFile: '/opt/tg/.env' });
    expect(s.services[0]?.launch).toEqual({ interpreter: 'none', script: '/usr/local/bin/mongod', args: ['--dbpath', '/data/mongo', '--bind_ip', '127.0.0.1', '--port', '27017'] });
    expect(unheld(s.services[1]!.launch)).toMatchObject({ interpreter: '/opt/py/bin/python', script: '/opt/py/bin/uvicorn' });
    expect(s.services[2]?.outFile).toBe('/var/log/tg/bot.out.log');
  });

  it('resolves relative venv, log dir and dbpath against the root', () => {
    const s = stack({ BOTSTACK_ROOT: '/opt/tg', BOTSTACK_VENV: '.venv', BOTSTACK_LOG_DIR: 'var/log', BOTSTACK_MONGO_DBPATH: 'db' });
    expect(s).toMatchObject({ venv: '/opt/tg/.venv', logDir: '/opt/tg/var/log' });
    expect(s.services[0]?.launch.args.slice(0, 2)).toEqual(['--dbpath', '/opt/tg/db']);
  });

  it('lets the stack file override the environment', () => {
    const s = stack({ BOTSTACK_ROOT: '/opt/tg', BOTSTACK_VENV: '/opt/py' }, { root: '/srv/x', venv: 'env', logDir: '/logs', envFile: 'secrets.env' });
    expect(s).toMatchObject({ root: '/srv/x', venv: '/srv/x/env', logDir: '/logs', envFile: '/srv/x/secrets.env' });
  });

  it('gives a service its own cwd, venv, log dir, binary and dbpath when declared', () => {
    const [db, api] = load([
      { ...svc.mongod, binary: '/bin/mongod7', dbpath: 'mongo', host: '10.0.0.5', port: 27018, args: ['--quiet'] },
      { ...svc.api, cwd: 'services', venv: '/venvs/api', logs: { dir: 'api-logs' } },
    ]).services;
    expect(db?.launch).toEqual({ interpreter: 'none', script: '/bin/mongod7', args: ['--dbpath', `${ROOT}/mongo`, '--bind_ip', '10.0.0.5', '--port', '27018', '--quiet'] });
    expect(api).toMatchObject({ cwd: `${ROOT}/services`, venv: '/venvs/api', outFile: `${ROOT}/api-logs/api.out.log` });
    expect(unheld(api!.launch)).toEqual({ interpreter: '/venvs/api/bin/python', script: '/venvs/api/bin/uvicorn', args: ['api_v2.app:app', '--host', '127.0.0.1', '--port', '8002'] });
  });
});

describe('launch command per kind', () => {
  it('runs uvicorn as <venv>/bin/python <venv>/bin/uvicorn app --host --port [--workers] [args]', () => {
    expect(one({ ...svc.api, workers: 2, args: ['--proxy-headers'] }).launch).toEqual({
      interpreter: `${ROOT}/venv/bin/python`,
      script: `${ROOT}/venv/bin/uvicorn`,
      args: ['api_v2.app:app', '--host', '127.0.0.1', '--port', '8002', '--workers', '2', '--proxy-headers'],
    });
  });

  it('runs a python script with the venv python, path relative to cwd', () => {
    expect(one(svc.bot).launch).toEqual({ interpreter: `${ROOT}/venv/bin/python`, script: `${ROOT}/bot/main.py`, args: [] });
  });

  it('runs a python service with secrets through envexec.py, which reads the env file at spawn', () => {
    expect(one({ ...svc.bot, secrets: ['TELEGRAM_BOT_TOKEN'], args: ['-v'] }).launch).toEqual({
      interpreter: `${ROOT}/venv/bin/python`,
      script: runtimePaths.envExec(),
      args: [`${ROOT}/.env`, `${ROOT}/bot/main.py`, '-v'],
    });
  });

  it('runs node scripts with node, commands directly, and the monitor from dist', () => {
    expect(one({ ...svc.node, nodeArgs: ['--max-old-space-size=128'] }).launch).toEqual({ interpreter: 'node', script: `${ROOT}/worker.js`, args: [], nodeArgs: ['--max-old-space-size=128'] });
    expect(one({ ...svc.command, args: ['--save', ''] }).launch).toEqual({ interpreter: 'none', script: 'redis-server', args: ['--save', ''] });
    expect(one(svc.monitor).launch).toEqual({ interpreter: 'node', script: runtimePaths.monitorMain(), args: [], nodeArgs: ['--lite-mode', '--max-semi-space-size=1', '--no-expose-wasm'] });
    expect(runtimePaths.monitorMain()).toMatch(/\/dist\/src\/monitor\/main\.js$/);
  });
});
