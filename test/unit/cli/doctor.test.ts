import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { dumpSecrets, savedList } from '../../../src/ops/doctor/boot.js';
import { envFile, mongodLoopback, watchOrReload } from '../../../src/ops/doctor/live.js';
import { ports } from '../../../src/ops/doctor/ports.js';
import type { DoctorContext } from '../../../src/ops/doctor/types.js';
import { venvs } from '../../../src/ops/doctor/venv.js';
import { toProcessInfo, type ProcessInfo } from '../../../src/pm2/types.js';
import { cmdline } from '../../../src/util/proctree.js';
import { makeProject } from '../../helpers/project.js';
import { botStackInput, mustLoad } from '../../helpers/stack.js';
import { run, writeStackFile } from './ops-cli.js';

const PORTS = { mongo: 27917, api: 18002, web: 18003 };
const proc = (name: string, env: Record<string, unknown>, pid = 0): ProcessInfo => toProcessInfo({ name, pm_id: 0, pid, pm2_env: { status: 'online', ...env } });

function ctx(o: Partial<DoctorContext> = {}): DoctorContext {
  const root = mkdtempSync(join(tmpdir(), 'botstack-doc-'));
  return {
    stack: mustLoad(botStackInput(root, PORTS)),
    env: {},
    pm2Home: mkdtempSync(join(tmpdir(), 'botstack-doc-pm2-')),
    live: [],
    unitDir: root,
    run: async () => ({ exitCode: 0, stdout: '', stderr: '' }),
    nodeVersion: 'v20.19.0',
    ...o,
  };
}

describe('doctor checks', () => {
  it('fails on watch or --reload anywhere in the live pm2 list, with the fix', () => {
    const c = ctx({ live: [proc('api', { args: ['api_v2.app:app', '--reload'] }), proc('legacy', { watch: true })] });
    expect(watchOrReload(c)).toEqual([
      { check: 'reload', level: 'fail', message: "api runs with --reload: a file change restarts it (the incident's 25-minute crash)", fix: "remove --reload from api's args, then botstack restart api" },
      { check: 'watch', level: 'fail', message: 'legacy runs with pm2 watch on: every git pull restarts it', fix: 'botstack restart legacy (the stack sets watch: false); or pm2 restart legacy --no-watch' },
    ]);
  });

  it('fails a mongod that runs with --bind_ip_all, passes one on loopback', () => {
    expect(mongodLoopback(ctx({ live: [proc('mongod', { args: ['--dbpath', '/d', '--bind_ip_all'] })] }))[0]).toEqual({
      check: 'mongod', level: 'fail', message: 'mongod runs with --bind_ip_all: reachable from the network', fix: 'botstack restart mongod (the stack passes --bind_ip 127.0.0.1)',
    });
    expect(mongodLoopback(ctx({ live: [proc('mongod', { args: ['--bind_ip', '127.0.0.1', '--port', '27917'] })] }))[0]!.message).toBe('mongod is bound to 127.0.0.1');
  });

  it('fails a group-readable .env and never prints its contents', () => {
    const c = ctx();
    writeFileSync(c.stack.envFile, 'TELEGRAM_BOT_TOKEN=123456:very-secret\n');
    chmodSync(c.stack.envFile, 0o644);
    const r = envFile(c);
    expect(r).toEqual([{ check: 'env', level: 'fail', message: `${c.stack.envFile} is mode 644: other users can read the secrets`, fix: `chmod 600 ${c.stack.envFile}` }]);
    expect(JSON.stringify(r)).not.toContain('very-secret');
    chmodSync(c.stack.envFile, 0o600);
    expect(envFile(c)[0]!.level).toBe('ok');
  });

  it('warns, by name only, about secrets pm2 save wrote into dump.pm2, and about its mode', () => {
    const c = ctx();
    writeFileSync(join(c.pm2Home, 'dump.pm2'), JSON.stringify([{ name: 'bot', TELEGRAM_BOT_TOKEN: '123:secret', env: { TELEGRAM_BOT_TOKEN: '123:secret', HOME: '/root' } }, { name: 'api', env: { PATH: '/usr/bin' } }]));
    chmodSync(join(c.pm2Home, 'dump.pm2'), 0o644);
    const r = dumpSecrets(c);
    expect(r.map((x) => x.message)).toEqual([
      `pm2 save stored secret-looking variables in ${c.pm2Home}/dump.pm2 (bot: TELEGRAM_BOT_TOKEN)`,
      `${c.pm2Home}/dump.pm2 is mode 644; other users can read every app's environment`,
    ]);
    expect(JSON.stringify(r)).not.toContain('secret"');
  });

  it('compares the saved list with what runs: settings and apps', () => {
    const c = ctx({ live: [proc('api', { kill_timeout: 15000, max_memory_restart: 314572800 }), proc('web', {})] });
    writeFileSync(join(c.pm2Home, 'dump.pm2'), JSON.stringify([{ name: 'api', status: 'online', kill_timeout: 1600, max_memory_restart: 314572800 }]));
    expect(savedList(c)[0]!.message).toBe('saved list differs from what runs: api.kill_timeout is 1600 in the saved list, 15000 running; web runs but is not in the saved list');
  });

  it('names the pid and command line holding a service port', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(PORTS.api, '127.0.0.1', r));
    onTestFinished(() => new Promise<void>((r) => srv.close(() => r())));
    const r = ports(ctx({ live: [] })).find((x) => x.message.includes(String(PORTS.api)))!;
    expect(r).toEqual({ check: 'port', level: 'fail', message: `port ${PORTS.api} (api.port) is held by pid ${process.pid} (${cmdline(process.pid)}), not by api`, fix: `stop that process (kill ${process.pid}) or change api.port, then botstack restart api` });
  });

  it('warns when the venv has no pip, fails on broken requirements', async () => {
    const c = ctx();
    mkdirSync(join(c.stack.venv, 'bin'), { recursive: true });
    writeFileSync(join(c.stack.venv, 'bin', 'python'), '');
    const noPip = await venvs({ ...c, run: async () => ({ exitCode: 1, stdout: '', stderr: '/x/venv/bin/python: No module named pip' }) });
    expect(noPip[0]).toMatchObject({ level: 'warn', message: `${c.stack.venv} has no pip (made --without-pip?); dependencies not checked` });
    const broken = await venvs({ ...c, run: async () => ({ exitCode: 1, stdout: 'aiogram 3.4.1 has requirement pydantic<2.6, but you have pydantic 2.7.0.', stderr: '' }) });
    expect(broken[0]).toMatchObject({ level: 'fail', message: `${c.stack.venv}: pip check: aiogram 3.4.1 has requirement pydantic<2.6, but you have pydantic 2.7.0.` });
  });
});

describe('botstack doctor (CLI, real venv, no pm2 daemon)', () => {
  it('prints one line per check with fixes, fails on the unreachable daemon, exit 1', async () => {
    const root = makeProject();
    const home = mkdtempSync(join(tmpdir(), 'botstack-doc-home-'));
    const config = writeStackFile(botStackInput(root, PORTS), root);
    const r = await run(['doctor', '--config', config], { env: { PM2_HOME: home, USER: 'botstack-test' } });
    const lines = r.stdout.split('\n');
    expect(lines).toContain(`fail  daemon       no pm2 daemon answers at ${home}/rpc.sock`);
    expect(lines).toContain('                   fix: start the stack: botstack start (or check PM2_HOME)');
    expect(lines).toContain('ok    pm2          pm2 7.0.4');
    expect(lines).toContain(`warn  dump         no saved process list at ${home}/dump.pm2; a reboot would bring back nothing`);
    // A --system-site-packages venv sees Debian's pip when python3-pip is installed: either answer is honest.
    expect(lines.find((l) => l.includes(' venv '))).toMatch(new RegExp(`^(warn  venv         ${root}/venv has no pip|(ok|fail)  venv         ${root}/venv)`));
    expect(lines).toContain('ok    mongod       mongod.host is 127.0.0.1 (not running: live args not checked)');
    expect(lines).toContain(`ok    env          ${root}/.env is readable only by its owner (mode 600)`);
    // Log rotation is not set up for this temp stack (nothing is written to /etc by tests).
    expect(lines.find((l) => l.includes(' logrotate ') && l.includes('botstack-'))).toMatch(/^fail  logrotate +no \/etc\/logrotate\.d\/botstack-\S+: the stack's logs grow without end$/);
    expect(lines.at(-2)).toMatch(/^doctor: \d+ ok, \d+ warn, [123] fail$/);
    expect(r.code).toBe(1);
    const j = JSON.parse((await run(['doctor', '--json', '--config', config], { env: { PM2_HOME: home } })).stdout) as { ok: boolean; checks: { check: string; level: string }[] };
    expect(j.ok).toBe(false);
    expect(j.checks.find((c) => c.check === 'daemon')).toMatchObject({ level: 'fail' });
    expect(r.stdout).not.toContain('TEST-token-not-real');
  });
});
