import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, ROOT } from './check-run.js';

// `botstack check` over the real-shaped fixtures: every kind of file a VPS keeps
// start commands in, with the findings (and only those) a careful reviewer would
// raise. Each file is a positive or a negative case for some rule.

const FX = 'test/fixtures/check/real-shaped';

type Found = { rule: string; line: number | null; severity: string };
const found = (stdout: string): string[] => (JSON.parse(stdout) as { findings: Found[] }).findings.map((f) => `${f.line}:${f.rule}`);

describe('every kind of start file', () => {
  it.each([
    // pip on every container start (line 11) changes the venv under the service: pip-install-on-start.
    ['entrypoint.sh', ['11:pip-install-on-start', '14:reload-flag', '14:no-memory-limit', '14:python-buffered']],
    ['start_services.sh', ['19:no-memory-limit', '19:python-buffered', '20:no-memory-limit', '20:python-buffered', '21:no-memory-limit', '21:python-buffered', '21:no-logs']],
    ['run_pm2.sh', ['8:unbounded-restarts', '9:watch-on', '9:no-memory-limit', '9:unbounded-restarts']],
    ['start_mongo_and_bot.sh', ['17:no-memory-limit']],
    ['keep_alive.sh', ['6:no-memory-limit']],
    ['spin.sh', ['5:no-memory-limit', '5:unbounded-restarts']],
    ['control.sh', ['17:no-memory-limit', '17:python-buffered']],
    ['messy.sh', ['14:no-memory-limit']],
    ['deploy.sh', ['5:auto-pull']],
    ['update_and_run.sh', ['3:auto-pull', '5:reload-flag', '5:no-memory-limit', '5:python-buffered']],
    ['bot.service', ['10:inline-secret', '12:no-memory-limit']],
    ['api.service', []],
    ['mongod.service', ['7:short-kill-timeout-db', '7:db-public-bind', '7:no-logs']],
    ['bot-pull.service', ['7:auto-pull']],
    ['Procfile', []],
    ['supervisor-bot.conf', ['3:no-memory-limit', '12:reload-flag', '12:no-memory-limit', '20:short-kill-timeout-db', '20:no-logs']],
    ['Dockerfile', ['13:reload-flag', '13:python-buffered']],
    ['docker-compose.yml', ['3:db-public-bind', '22:no-memory-limit', '22:python-buffered', '27:inline-secret']],
    ['ecosystem.json', ['5:python-buffered']],
    ['ecosystem.json5', []],
    ['ecosystem.config.js', ['8:watch-on', '8:unbounded-restarts', '16:no-memory-limit']],
    ['ecosystem.config.mjs', []],
    ['single.config.cjs', []],
    ['array.config.js', []],
    ['process.yml', ['2:unbounded-restarts']],
    ['mixed.json', ['4:pm2-skips-app']],
    ['default-export.config.mjs', ['1:pm2-no-apps']],
  ])('%s', async (name, expected) => {
    const r = await check([`${FX}/${name}`, '--json']);
    expect(r.stderr).toBe('');
    expect(found(r.stdout)).toEqual(expected);
  });

  it('the crontab: @reboot services, a scheduled pull, a watchdog line; not the nightly job', async () => {
    const r = await check([`${FX}/crontab`, '--json']);
    expect(found(r.stdout)).toEqual(['4:no-memory-limit', '4:python-buffered', '5:no-memory-limit', '5:python-buffered', '5:no-venv', '5:no-logs', '6:auto-pull', '8:no-memory-limit', '8:python-buffered']);
  });

  it('sessions.sh: screen, tmux, sudo, a subshell and setsid are all services', async () => {
    const r = await check([`${FX}/sessions.sh`, '--json']);
    expect([...new Set(found(r.stdout).map((f) => f.split(':')[0]))]).toEqual(['3', '4', '6', '7', '8', '9']);
  });
});

describe('files named for development', () => {
  it.each([['Procfile.dev', ['1:reload-flag']], ['start-dev.sh', ['4:reload-flag', '5:reload-flag']]])('%s: only reload, as info; exit 0', async (name, expected) => {
    const r = await check([`${FX}/${name}`, '--json']);
    expect(r.code).toBe(0);
    expect(found(r.stdout)).toEqual(expected);
    expect(r.stdout).not.toContain('"severity":"error"');
  });
  it('control: the same script under a production name is errors and warnings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'botstack-check-dev-'));
    copyFileSync(`${ROOT}${FX}/start-dev.sh`, join(dir, 'start.sh'));
    const r = await check([join(dir, 'start.sh'), '--json']);
    expect(r.code).toBe(1);
    expect(found(r.stdout)).toEqual(['4:reload-flag', '4:no-memory-limit', '4:python-buffered', '4:no-logs', '5:reload-flag', '5:no-memory-limit']);
  });
});

describe('auto-pull', () => {
  it('is an error when the same file reloads on change, naming the reloader', async () => {
    const r = await check([`${FX}/update_and_run.sh`, '--json']);
    const f = (JSON.parse(r.stdout) as { findings: (Found & { message: string; fix: string })[] }).findings[0];
    expect(f).toMatchObject({ rule: 'auto-pull', severity: 'error', line: 3 });
    expect(f?.message).toBe(
      '`git pull origin master` runs on the serving host from this start script, with nobody watching, and app:app restarts on file changes ("--reload" on line 5): every push restarts it mid-request, the way the 25-minute crash began',
    );
    expect(f?.fix).toBe('remove the pull from this start script; deploy with `botstack deploy` (pull, check, health-gated restart), or pull by hand and restart each service only after its health check passes');
  });
  it('is a warning without one, and info in the development profile', async () => {
    expect((await check([`${FX}/deploy.sh`, '--json'])).stdout).toContain('"severity":"warning"');
    expect((await check([`${FX}/deploy.sh`, '--json'], { BOTSTACK_ENV: 'development' })).stdout).toContain('"severity":"info"');
  });
});

describe('exit codes over many files', () => {
  it('one exit code for all: 1 when any file has an error finding, 0 when none has', async () => {
    expect((await check([`${FX}/api.service`, `${FX}/Procfile`, `${FX}/ecosystem.json5`])).code).toBe(0);
    const r = await check([`${FX}/api.service`, `${FX}/entrypoint.sh`, `${FX}/keep_alive.sh`]);
    expect(r.code).toBe(1);
    expect(r.stdout.endsWith('1 error, 4 warnings, 0 info in 3 files\n')).toBe(true);
  });
  it('2 when pm2 would refuse a file, with its reason; the other files are still reported', async () => {
    const r = await check([`${FX}/refused.json`, `${FX}/entrypoint.sh`, '--json']);
    expect(r.code).toBe(2);
    expect(found(r.stdout)).toEqual(['11:pip-install-on-start', '14:reload-flag', '14:no-memory-limit', '14:python-buffered']);
    expect(r.stderr).toBe(
      `botstack: ${FX}/refused.json: pm2 refuses it: Verify "max_memory_restart" with regex failed, it should be a NUMBER - byte, "[NUMBER]G"(Gigabyte), "[NUMBER]M"(Megabyte) or "[NUMBER]K"(Kilobyte)\n`,
    );
  });
});
