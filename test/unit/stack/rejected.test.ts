import { describe, expect, it } from 'vitest';
import { FILE, problems, stackOf, svc } from './given.js';

// Every input the schema refuses, with the exact problem an operator reads.

const api = (extra: Record<string, unknown>) => stackOf([{ ...svc.api, ...extra }]);
const SIZE_HINT = 'expected bytes or a number with K, M or G, like "512M" or "1.5G"';
const DURATION_HINT = 'expected milliseconds or a number with ms, s, m or h, like "15s"';
const TYPO_FIX = 'remove it or correct the spelling (see the Service type in src/stack/schema.ts)';

describe('unknown keys (pm2 would drop them silently)', () => {
  it('refuses a typo\'d service key, naming the service and the key', () => {
    expect(problems(api({ kill_timout: 5000 }))).toEqual([
      { file: FILE, service: 'api', path: 'services.0.kill_timout', message: 'unknown key "kill_timout"; pm2 would drop it without a word', fix: TYPO_FIX },
    ]);
  });

  it('names every unknown key of one object in one problem', () => {
    expect(problems(api({ kill_signal: 'SIGTERM', max_memory_restart: '300M' }))).toEqual([
      { file: FILE, service: 'api', path: 'services.0.kill_signal', message: 'unknown keys "kill_signal", "max_memory_restart"; pm2 would drop them without a word', fix: 'remove them or correct the spelling (see the Service type in src/stack/schema.ts)' },
    ]);
  });

  it('refuses unknown keys at the stack level and inside nested objects', () => {
    expect(problems({ ...(stackOf([svc.api]) as object), servics: [] })).toEqual([{ file: FILE, path: 'servics', message: 'unknown key "servics"; pm2 would drop it without a word', fix: TYPO_FIX }]);
    expect(problems(api({ limits: { memroy: '512M' } }))).toEqual([{ file: FILE, service: 'api', path: 'services.0.limits.memroy', message: 'unknown key "memroy"; pm2 would drop it without a word', fix: TYPO_FIX }]);
    expect(problems(api({ stop: { timeout: '15s', signal: 'SIGTERM' } }))).toEqual([{ file: FILE, service: 'api', path: 'services.0.stop.signal', message: 'unknown key "signal"; pm2 would drop it without a word', fix: TYPO_FIX }]);
    expect(problems(api({ health: { type: 'http', path: '/health', status: 200 } }))).toEqual([{ file: FILE, service: 'api', path: 'services.0.health.status', message: 'unknown key "status"; pm2 would drop it without a word', fix: TYPO_FIX }]);
  });

  it('refuses a key that belongs to another kind (app on a python service)', () => {
    expect(problems(stackOf([{ ...svc.bot, app: 'bot.main:app' }]))).toEqual([{ file: FILE, service: 'bot', path: 'services.0.app', message: 'unknown key "app"; pm2 would drop it without a word', fix: TYPO_FIX }]);
  });
});

describe('production never reloads', () => {
  it('refuses watch: true', () => {
    expect(problems(api({ watch: true }))).toEqual([
      { file: FILE, service: 'api', path: 'services.0.watch', message: 'watch: true restarts the service whenever a file changes; a git pull then takes it down (the 25-minute crash)', fix: 'remove watch; use BOTSTACK_ENV=development for local auto-reload' },
    ]);
  });

  it.each(['--reload', '--reload=true', '--reload-dir', '--watch'])('refuses %s in args', (flag) => {
    const name = flag.split('=')[0];
    expect(problems(api({ args: ['--proxy-headers', flag] }))).toEqual([
      { file: FILE, service: 'api', path: 'services.0.args', message: `"${name}" in production restarts the service whenever a file changes; a git pull then takes it down`, fix: `remove "${name}" from api.args; set reloadInDevelopment: true and BOTSTACK_ENV=development for local work` },
    ]);
  });

  it('refuses a watcher tool as a command (nodemon)', () => {
    expect(problems(stackOf([{ name: 'w', kind: 'command', command: 'npx', args: ['nodemon', 'app.js'] }]))[0]?.message).toBe('"nodemon" in production restarts the service whenever a file changes; a git pull then takes it down');
  });

  it('accepts watch: false and uvicorn flags that do not reload', () => {
    expect(() => problems(api({ watch: false, args: ['--proxy-headers', '--timeout-keep-alive', '5'] }))).toThrow('expected problems, the stack loaded');
  });
});

describe('sizes and durations', () => {
  it.each([
    ['"300XB"', '300XB'],
    ['"0M"', '0M'],
    ['"-1M"', '-1M'],
    ['"1.5 GiB"', '1.5 GiB'],
    ['0', 0],
    ['1.5', 1.5],
  ])('refuses memory %s with the size hint', (shown, memory) => {
    expect(problems(api({ limits: { memory } }))).toEqual([
      { file: FILE, service: 'api', path: 'services.0.limits.memory', message: `invalid size ${shown}: ${SIZE_HINT} (got ${shown})` },
    ]);
  });

  it('refuses memory: true (only false turns the limit off)', () => {
    expect(problems(api({ limits: { memory: true } }))).toEqual([{ file: FILE, service: 'api', path: 'services.0.limits.memory', message: 'Invalid input (got true)' }]);
  });

  it.each([['"15 secs"', '15 secs'], ['"15sec"', '15sec'], ['"1d"', '1d'], ['"-5s"', '-5s'], ['""', '']])('refuses the duration %s', (shown, timeout) => {
    expect(problems(api({ stop: { timeout } }))).toEqual([
      { file: FILE, service: 'api', path: 'services.0.stop.timeout', message: `invalid duration ${shown}: ${DURATION_HINT} (got ${shown})` },
    ]);
  });

  it.each([['-1', -1], ['1.5', 1.5]])('refuses %s ms: durations are whole non-negative milliseconds', (shown, timeout) => {
    expect(problems(api({ stop: { timeout } }))).toEqual([{ file: FILE, service: 'api', path: 'services.0.stop.timeout', message: `invalid duration ${shown}: ${DURATION_HINT} (got ${shown})` }]);
  });

  it('refuses values pm2 would drop or reject: kill_timeout 0, backoff 0, min_uptime under 100 ms, max_restarts 0', () => {
    expect(problems(api({ stop: { timeout: 0 } }))).toEqual([{ file: FILE, service: 'api', path: 'services.0.stop.timeout', message: 'must be at least 1 ms: pm2 drops kill_timeout: 0 and uses its 1.6 s default (got 0)' }]);
    expect(problems(api({ limits: { restartBackoff: '0s' } }))).toEqual([{ file: FILE, service: 'api', path: 'services.0.limits.restartBackoff', message: 'must be at least 1 ms: pm2 drops a 0 exp_backoff_restart_delay without a word (got "0s")' }]);
    expect(problems(api({ limits: { minUptime: '99ms' } }))).toEqual([{ file: FILE, service: 'api', path: 'services.0.limits.minUptime', message: 'must be at least 100 ms: pm2 rejects a smaller min_uptime and starts nothing (got "99ms")' }]);
    expect(problems(api({ limits: { maxRestarts: 0 } }))).toEqual([{ file: FILE, service: 'api', path: 'services.0.limits.maxRestarts', message: 'Too small: expected number to be >=1 (got 0)' }]);
  });

  it('accepts the floors themselves', () => {
    const ok = api({ stop: { timeout: 1 }, limits: { minUptime: 100, restartBackoff: '1ms', maxRestarts: 1 } });
    expect(() => problems(ok)).toThrow('expected problems, the stack loaded');
  });
});

describe('names, kinds, apps, ports and paths', () => {
  it('refuses an app string that is a file path, not module:attribute', () => {
    expect(problems(api({ app: 'api_v2/app.py' }))).toEqual([{ file: FILE, service: 'api', path: 'services.0.app', message: 'must look like "package.module:attribute" (got "api_v2/app.py")' }]);
    expect(problems(api({ app: 'api_v2.app' }))[0]?.message).toBe('must look like "package.module:attribute" (got "api_v2.app")');
  });

  it('refuses a missing app', () => {
    expect(problems(stackOf([{ name: 'api', kind: 'uvicorn', port: 8002 }]))).toEqual([{ file: FILE, service: 'api', path: 'services.0.app', message: 'Invalid input: expected string, received undefined (it is missing)' }]);
  });

  it('refuses an unknown kind, listing the known ones', () => {
    expect(problems(stackOf([{ name: 'api', kind: 'gunicorn' }]))).toEqual([
      { file: FILE, service: 'api', path: 'services.0.kind', message: 'Invalid discriminator value. Expected \'mongod\' | \'uvicorn\' | \'python\' | \'node\' | \'command\' | \'monitor\': got "gunicorn"' },
    ]);
  });

  it('refuses names pm2 or a shell would trip on', () => {
    expect(problems(stackOf([{ ...svc.api, name: 'API v2' }]))).toEqual([{ file: FILE, service: 'API v2', path: 'services.0.name', message: 'must be lower-case letters, digits, "-" or "_", starting with a letter (got "API v2")' }]);
  });

  it('refuses ports outside 1..65535', () => {
    expect(problems(api({ port: 70000 }))).toEqual([{ file: FILE, service: 'api', path: 'services.0.port', message: 'Too big: expected number to be <=65535 (got 70000)' }]);
    expect(problems(api({ port: 0 }))).toEqual([{ file: FILE, service: 'api', path: 'services.0.port', message: 'Too small: expected number to be >=1 (got 0)' }]);
  });

  it('refuses a health path without a leading slash, and unknown health types', () => {
    expect(problems(api({ health: { type: 'http', path: 'health' } }))).toEqual([{ file: FILE, service: 'api', path: 'services.0.health.path', message: 'must start with "/" (got "health")' }]);
    expect(problems(api({ health: { type: 'grpc' } }))).toEqual([
      { file: FILE, service: 'api', path: 'services.0.health.type', message: 'Invalid discriminator value. Expected \'http\' | \'tcp\' | \'mongo\' | \'heartbeat\' | \'none\': got "grpc"' },
    ]);
  });

  it('refuses env keys and secret names that are not variable names', () => {
    expect(problems(api({ env: { 'API-URL': 'x' } }))).toEqual([{ file: FILE, service: 'api', path: 'services.0.env.API-URL', message: 'key "API-URL" must be a valid environment variable name' }]);
    expect(problems(api({ secrets: ['bot token'] }))).toEqual([{ file: FILE, service: 'api', path: 'services.0.secrets.0', message: 'must be a valid environment variable name (got "bot token")' }]);
  });

  it('refuses an empty stack and a bad profile', () => {
    expect(problems({ name: 'bot', services: [] })).toEqual([{ file: FILE, path: 'services', message: 'a stack needs at least one service (got [])' }]);
    expect(problems({ ...(stackOf([svc.api]) as object), profile: 'staging' })).toEqual([{ file: FILE, path: 'profile', message: 'Invalid option: expected one of "production"|"development" (got "staging")' }]);
  });

  it('reports every problem in one pass, not just the first', () => {
    const got = problems(stackOf([{ ...svc.api, kill_timeout: 1 }, { ...svc.bot, limits: { memory: '300XB' } }, { name: 'db', kind: 'mongod', port: 'x' }]));
    expect(got.map((p) => p.path)).toEqual(['services.0.kill_timeout', 'services.1.limits.memory', 'services.2.port']);
  });
});
