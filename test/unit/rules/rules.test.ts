import { describe, expect, it } from 'vitest';
import { APP_RULES, runRules, withVenvExpectation } from '../../../src/rules/index.js';
import type { App } from '../../../src/rules/types.js';
import { app, ctx, FILE, mongod } from './given.js';

// Every rule, positive and negative, over hand-built apps.

const run = (id: string, apps: readonly App[], profile: 'production' | 'development' = 'production') => runRules(ctx(apps, profile), [id]).map(({ field: _f, ...f }) => f);
const only = (id: string, a: App, profile: 'production' | 'development' = 'production') => run(id, [a], profile);

describe('the clean apps', () => {
  it('break no rule at all', () => {
    expect(runRules(ctx([mongod(), app()]))).toEqual([]);
  });
});

describe('watch-on', () => {
  it('is an error in production and names the crash', () => {
    expect(only('watch-on', app({ watch: true }))).toEqual([
      { rule: 'watch-on', severity: 'error', file: FILE, line: 3, service: 'api', message: 'watch is on: pm2 restarts api whenever a watched file changes; a git pull then takes it down (the 25-minute crash)', fix: 'set watch: false on api; keep watching for a separate development ecosystem file' },
    ]);
  });
  it('is info in the development profile, and silent with watch off', () => {
    expect(only('watch-on', app({ watch: true }), 'development')[0]?.severity).toBe('info');
    expect(only('watch-on', app())).toEqual([]);
  });
});

describe('reload-flag', () => {
  it.each([['--reload'], ['--reload-dir=src'], ['--watch']])('flags %s in production', (flag) => {
    const got = only('reload-flag', app({ argv: [...app().argv, flag] }));
    expect(got).toEqual([
      { rule: 'reload-flag', severity: 'error', file: FILE, line: 3, service: 'api', message: `"${flag.split('=')[0]}" in production restarts the service whenever a file changes; a git pull then takes it down`, fix: `remove "${flag.split('=')[0]}" from api's script/args/env; keep it for a separate development ecosystem file` },
    ]);
  });
  it('flags nodemon, flask --debug, FLASK_DEBUG=1 and runserver', () => {
    expect(only('reload-flag', app({ argv: ['nodemon', 'server.js'] }))[0]?.message).toMatch(/^"nodemon" in production/);
    expect(only('reload-flag', app({ argv: ['flask', '--debug', 'run'] }))[0]?.message).toMatch(/^"--debug" in production/);
    expect(only('reload-flag', app({ env: { FLASK_DEBUG: '1' } }))[0]?.message).toMatch(/^"FLASK_DEBUG=1" in production/);
    expect(only('reload-flag', app({ argv: ['python', 'manage.py', 'runserver'] }))[0]?.message).toMatch(/^"runserver" in production/);
  });
  it('reports info, not an error, in the development profile', () => {
    expect(only('reload-flag', app({ argv: ['uvicorn', 'a:app', '--reload'] }), 'development')).toEqual([
      { rule: 'reload-flag', severity: 'info', file: FILE, line: 3, service: 'api', message: '"--reload" restarts api whenever a file changes: fine for local work in the development profile, never on the production VPS', fix: 'nothing to do locally; production (the default profile) runs api without "--reload"' },
    ]);
  });
  it('leaves --watch alone where it restarts no server (systemd agents, kubectl, tsc)', () => {
    expect(only('reload-flag', app({ argv: ['/bin/systemd-tty-ask-password-agent', '--watch', '--console'] }))).toEqual([]);
    expect(only('reload-flag', app({ argv: ['npx', 'tsc', '--watch'] }))).toEqual([]);
    expect(only('reload-flag', app({ argv: ['node', '--watch', 'server.js'] }))).toHaveLength(1);
  });
  it('leaves --debug without flask, runserver --noreload and --workers alone', () => {
    expect(only('reload-flag', app({ argv: ['gunicorn', '--debug', 'a:app'] }))).toEqual([]);
    expect(only('reload-flag', app({ argv: ['python', 'manage.py', 'runserver', '--noreload'] }))).toEqual([]);
    expect(only('reload-flag', app({ argv: ['uvicorn', 'a:app', '--workers', '2'] }))).toEqual([]);
  });
});

describe('no-memory-limit', () => {
  it('warns for a long-running service without one', () => {
    expect(only('no-memory-limit', app({ memoryBytes: null }))).toEqual([
      { rule: 'no-memory-limit', severity: 'warning', file: FILE, line: 3, service: 'api', message: "api has no memory limit; a leak grows until the kernel's OOM killer picks a victim, possibly mongod", fix: "add max_memory_restart: '512M' to api (a size it should never reach)" },
    ]);
  });
  it('exempts databases and one-shot apps (autorestart: false)', () => {
    expect(only('no-memory-limit', mongod({ memoryBytes: null }))).toEqual([]);
    expect(only('no-memory-limit', app({ memoryBytes: null, restart: { autorestart: false, maxRestarts: 16, minUptimeMs: 1000, backoffMs: null, delayMs: null } }))).toEqual([]);
  });
});

describe('unbounded-restarts', () => {
  const policy = (p: Partial<NonNullable<App['restart']>>) => app({ restart: { autorestart: true, maxRestarts: 16, minUptimeMs: 1000, backoffMs: null, delayMs: null, ...p } });
  it('warns when pm2 restarts immediately, explaining why max_restarts does not help', () => {
    expect(only('unbounded-restarts', policy({ maxRestarts: 10, minUptimeMs: 5000 }))).toEqual([
      { rule: 'unbounded-restarts', severity: 'warning', file: FILE, line: 3, service: 'api', message: 'api restarts immediately after every crash, forever: max_restarts (10) only counts exits within min_uptime (5.0s) of a start, and only in the first 50.0s', fix: 'add exp_backoff_restart_delay: 500 to api (pm2 then waits up to 15 s between crashes)' },
    ]);
  });
  it('counts a restart_delay under 1 s as unbounded', () => {
    expect(only('unbounded-restarts', policy({ delayMs: 200 }))[0]?.message).toMatch(/^api restarts after a 200ms restart_delay after every crash/);
  });
  it('accepts a backoff, a restart_delay of 1 s or more, autorestart: false, and shell lines', () => {
    expect(only('unbounded-restarts', policy({ backoffMs: 100 }))).toEqual([]);
    expect(only('unbounded-restarts', policy({ delayMs: 1000 }))).toEqual([]);
    expect(only('unbounded-restarts', policy({ autorestart: false }))).toEqual([]);
    expect(only('unbounded-restarts', app({ restart: null }))).toEqual([]);
  });
});

describe('short-kill-timeout-db', () => {
  it("flags pm2's 1.6 s default on a database", () => {
    expect(only('short-kill-timeout-db', mongod({ killTimeoutMs: 1600 }))).toEqual([
      { rule: 'short-kill-timeout-db', severity: 'error', file: FILE, line: 3, service: 'mongod', message: "mongod gets 1.6s to stop before SIGKILL (pm2's default is 1.6s); a database killed mid-flush can lose writes or need a long recovery", fix: 'set kill_timeout: 60000 on mongod' },
    ]);
    expect(only('short-kill-timeout-db', mongod({ name: 'cache', database: 'redis', killTimeoutMs: 9999 }))[0]?.message).toMatch(/^cache \(redis\) gets 10.0s/);
  });
  it('accepts 10 s and more, non-databases, and shell lines (no timeout at all)', () => {
    expect(only('short-kill-timeout-db', mongod({ killTimeoutMs: 10_000 }))).toEqual([]);
    expect(only('short-kill-timeout-db', app({ killTimeoutMs: 1600 }))).toEqual([]);
    expect(only('short-kill-timeout-db', mongod({ killTimeoutMs: null }))).toEqual([]);
  });
});

describe('db-public-bind', () => {
  it.each([['0.0.0.0'], ['::'], ['127.0.0.1,0.0.0.0'], ['*']])('flags a database on %s', (host) => {
    expect(only('db-public-bind', mongod({ host }))).toEqual([
      { rule: 'db-public-bind', severity: 'error', file: FILE, line: 3, service: 'mongod', message: `mongod listens on ${host} (every interface); anyone who can reach this VPS can reach the database`, fix: "bind it to loopback: --bind_ip 127.0.0.1 (and no --bind_ip_all) in mongod's args" },
    ]);
  });
  it('accepts loopback databases and public web servers', () => {
    expect(only('db-public-bind', mongod({ host: '127.0.0.1' }))).toEqual([]);
    expect(only('db-public-bind', app({ host: '0.0.0.0' }))).toEqual([]);
  });
});

describe('python-buffered and no-venv', () => {
  it('flags buffered Python output', () => {
    expect(only('python-buffered', app({ unbuffered: false }))).toEqual([
      { rule: 'python-buffered', severity: 'warning', file: FILE, line: 3, service: 'api', message: 'api is Python with buffered output; the lines before a crash or kill stay in the buffer and never reach the log', fix: `add PYTHONUNBUFFERED: '1' to api.env (pm2 sets it only when the interpreter path contains "python"); pm2 may then log one print as several lines, which a botstack stack avoids (botstack init --from this file)` },
    ]);
    expect(only('python-buffered', app({ unbuffered: true }))).toEqual([]);
    expect(only('python-buffered', app({ isPython: false, unbuffered: false }))).toEqual([]);
  });
  it('flags a system interpreter only where a venv is expected', () => {
    expect(only('no-venv', app({ inVenv: false, interpreter: 'python3' }))).toEqual([
      { rule: 'no-venv', severity: 'warning', file: FILE, line: 3, service: 'api', message: "api runs on the system interpreter (python3) although this project uses a venv; it gets the system's packages, not the venv's", fix: "set interpreter: '<project>/venv/bin/python' on api" },
    ]);
    expect(only('no-venv', app({ inVenv: false, venvExpected: false }))).toEqual([]);
    expect(only('no-venv', app())).toEqual([]);
  });
  it('expects a venv when another Python app in the file uses one', () => {
    const sys = app({ name: 'bot', inVenv: false, venvExpected: false, cwd: null });
    expect(withVenvExpectation([app(), sys])[1]?.venvExpected).toBe(true);
    expect(withVenvExpectation([sys])[0]?.venvExpected).toBe(false);
  });
});

describe('dup-name and dup-port', () => {
  const web = app({ name: 'web', ref: 'apps[1]', port: 8003, line: 9 });
  it('flags the second app with a name or port already taken', () => {
    expect(run('dup-name', [app(), { ...web, name: 'api' }])).toEqual([
      { rule: 'dup-name', severity: 'error', file: FILE, line: 9, service: 'api', message: 'name "api" is already used by apps[0]; pm2 addresses apps by name, so restart, stop and logs would hit both', fix: 'give every service its own name' },
    ]);
    expect(run('dup-port', [app(), { ...web, port: 8002 }])).toEqual([
      { rule: 'dup-port', severity: 'error', file: FILE, line: 9, service: 'web', message: 'port 8002 is also used by apps[0] (api); the second to start would fail to bind', fix: 'give web a free port' },
    ]);
  });
  it('treats 0.0.0.0 as clashing with any address, and two specific addresses as distinct', () => {
    expect(run('dup-port', [app({ host: '0.0.0.0' }), { ...web, port: 8002, host: '10.0.0.5' }])).toHaveLength(1);
    expect(run('dup-port', [app(), { ...web, port: 8002, host: '10.0.0.5' }])).toEqual([]);
  });
  it('accepts distinct names and ports, and never judges made-up shell names', () => {
    expect(run('dup-name', [app(), web])).toEqual([]);
    expect(run('dup-port', [app(), web])).toEqual([]);
    expect(run('dup-name', [app({ format: 'shell' }), { ...web, name: 'api', format: 'shell' }])).toEqual([]);
  });
});

describe('no-logs', () => {
  it('flags /dev/null, unredirected output and a log file shared with another app', () => {
    expect(only('no-logs', app({ logs: { out: '/dev/null', err: '/dev/null' } }))).toEqual([
      { rule: 'no-logs', severity: 'warning', file: FILE, line: 3, service: 'api', message: 'api sends its output to /dev/null; the traceback of the next crash is thrown away', fix: 'set out_file and error_file on api to files of its own (not /dev/null)' },
    ]);
    expect(only('no-logs', app({ format: 'shell', logs: { out: null, err: null } }))[0]?.message).toBe("api's output is not redirected: it goes to the terminal that ran the script (or a shared nohup.out) and is lost");
    expect(only('no-logs', app({ format: 'shell', logs: { out: '/l/api.log', err: null } }))[0]?.message).toBe("api's stderr, where tracebacks go, is not redirected: it goes to the terminal that ran the script and is lost");
    const shared = run('no-logs', [app({ logs: { out: '/l/all.log', err: '/l/all.log' } }), app({ name: 'web', logs: { out: '/l/all.log', err: '/l/all.log' } })]);
    expect(shared.map((f) => f.message)).toEqual(['web writes to /l/all.log, the same log file as api; their lines interleave and nobody can tell whose crash it was']);
  });
  it("accepts a log file of the app's own", () => {
    expect(only('no-logs', app())).toEqual([]);
  });
});

it('has exactly the rule ids the issue names', () => {
  expect(Object.keys(APP_RULES).sort()).toEqual(['db-public-bind', 'dup-name', 'dup-port', 'no-logs', 'no-memory-limit', 'no-venv', 'python-buffered', 'reload-flag', 'short-kill-timeout-db', 'unbounded-restarts', 'watch-on', 'db-data-in-tmp', 'unresolved-path'].sort());
});
