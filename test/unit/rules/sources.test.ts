import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeCommand } from '../../../src/rules/model/command.js';
import { appFromPm2 } from '../../../src/rules/model/from-pm2.js';
import { appsFromShell } from '../../../src/rules/model/from-shell.js';
import { tokenize } from '../../../src/rules/model/words.js';

// The three readers: what each input says about the processes it starts.

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/check/${name}`, import.meta.url), 'utf8');

describe('shell start scripts', () => {
  it("reads the incident's script: three backgrounded services and a forked mongod", () => {
    const apps = appsFromShell(fixture('start_all_services.sh'));
    expect(apps.map((a) => [a.name, a.line, a.port, a.host, a.inVenv, a.unbuffered, a.logs.out])).toEqual([
      ['mongod', 10, 27017, '127.0.0.1', true, false, '/tmp/mongod.log'],
      ['api_v2.app:app', 14, 8002, '0.0.0.0', true, false, '/tmp/api.log'],
      ['web.app:app', 19, 8003, '0.0.0.0', true, false, '/tmp/web.log'],
      ['bot/main.py', 24, null, null, true, false, '/tmp/bot.log'],
    ]);
    expect(apps[1]?.argv).toContain('--reload');
    expect(apps.map((a) => a.database)).toEqual(['mongod', null, null, null]);
  });

  it('tracks cd, activate, export, inline env, ulimit, variables and continuations', () => {
    const text = ['R=/srv', 'cd $R', 'export PYTHONUNBUFFERED=1', 'ulimit -v 1024', 'FOO=1 nohup python -m bot \\', '  > ${R}/bot.log 2>&1 &'].join('\n');
    const [bot] = appsFromShell(text);
    expect(bot).toMatchObject({ name: 'bot', line: 5, cwd: '/srv', unbuffered: true, inVenv: false, memoryBytes: 1024 * 1024, env: { PYTHONUNBUFFERED: '1', FOO: '1' }, logs: { out: '/srv/bot.log', err: '/srv/bot.log' } });
  });

  it('ignores foreground one-off commands and non-server programs', () => {
    expect(appsFromShell('python manage.py migrate\npip install -r req.txt\nsleep 5 &\necho started &')).toEqual([]);
  });

  it('sees python -u, tee logs and /dev/null', () => {
    const [a, b] = appsFromShell('python -u a.py | tee a.log &\nnode b.js > /dev/null 2>&1 &');
    expect(a).toMatchObject({ unbuffered: true, logs: { out: 'a.log' } });
    expect(b).toMatchObject({ isPython: false, logs: { out: '/dev/null', err: '/dev/null' } });
  });
});

describe('pm2 apps', () => {
  it("applies pm2's defaults: kill_timeout 1600, max_restarts 16, min_uptime 1000, logs in ~/.pm2/logs", () => {
    const a = appFromPm2({ name: 'w', script: 'w.js' }, 0, 4);
    expect(a).toMatchObject({ argv: ['node', 'w.js'], killTimeoutMs: 1600, restart: { autorestart: true, maxRestarts: 16, minUptimeMs: 1000, backoffMs: null, delayMs: null }, logs: { out: '~/.pm2/logs/w-out.log' }, memoryBytes: null, line: 4 });
  });

  it('reads string args, sizes, durations and the interpreter', () => {
    const a = appFromPm2({ script: 'venv/bin/uvicorn', interpreter: 'none', args: 'a:app --host "0.0.0.0" --port 8002', max_memory_restart: '1G', min_uptime: '10s', max_restarts: 0, restart_delay: 3000 }, 1, null);
    expect(a).toMatchObject({ name: 'uvicorn', interpreter: null, host: '0.0.0.0', port: 8002, memoryBytes: 1024 ** 3, isPython: true, inVenv: true, unbuffered: false, restart: { minUptimeMs: 10_000, maxRestarts: 16, delayMs: 3000 } });
    // pm2 adds PYTHONUNBUFFERED itself when the interpreter path says python.
    expect(appFromPm2({ script: 'bot.py' }, 0, null)).toMatchObject({ interpreter: 'python', isPython: true, unbuffered: true });
  });

  it('counts watch arrays as watching and disable_logs as /dev/null', () => {
    expect(appFromPm2({ script: 'a.js', watch: ['src'], disable_logs: true }, 0, null)).toMatchObject({ watch: true, logs: { out: '/dev/null', err: '/dev/null' } });
  });

  it('refuses an app pm2 could not start, saying which', () => {
    expect(() => appFromPm2({ name: 'x' }, 2, null)).toThrow('apps[2] has no "script"; pm2 cannot start it');
  });
});

describe('command lines', () => {
  it.each([
    [['mongod', '--bind_ip_all'], 'mongod', '0.0.0.0', null],
    [['redis-server', '--bind', '0.0.0.0', '--port', '6380'], 'redis', '0.0.0.0', 6380],
    [['postgres', '-c', "listen_addresses='*'", '-p', '5433'], 'postgres', '*', 5433],
    [['/usr/sbin/mysqld', '--bind-address=0.0.0.0'], 'mysql', '0.0.0.0', null],
    [['gunicorn', '-b', '0.0.0.0:9000', 'a:app'], null, '0.0.0.0', 9000],
  ])('%j', (argv, database, host, port) => {
    expect(describeCommand(argv)).toMatchObject({ database, host, port });
  });

  it('sees through python -m and a venv python running bin/uvicorn', () => {
    expect(describeCommand(['python3', '-u', '-m', 'uvicorn', 'a:app'])).toMatchObject({ program: 'uvicorn', isPython: true, pythonUnbuffered: true, defaultPort: 8000 });
    expect(describeCommand(['/v/bin/python', '/v/bin/uvicorn', 'a:app'])).toMatchObject({ program: 'uvicorn', pythonUnbuffered: false });
  });

  it('tokenizes quotes, redirections and background', () => {
    expect(tokenize(`a 'b c' "d" >/tmp/x 2>&1 & # note`).map((t) => (t.op ? `<${t.text}>` : t.text))).toEqual(['a', 'b c', 'd', '<>>', '/tmp/x', '<2>&1>', '<&>']);
  });
});
