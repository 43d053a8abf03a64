import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { disk, logDir } from '../../../../src/ops/doctor/disk.js';
import type { DoctorContext } from '../../../../src/ops/doctor/types.js';
import { logRotation } from '../../../../src/ops/logrotate/doctor.js';
import { findLogrotate } from '../../../../src/ops/logrotate/install.js';
import { installTimer, timerUnits } from '../../../../src/ops/logrotate/timer.js';
import { planLogrotate } from '../../../../src/ops/logrotate/plan.js';
import { pm2Install } from '../../../../src/ops/startup/unit.js';
import { botStackInput, mustLoad } from '../../../helpers/stack.js';
import { run, writeStackFile } from '../../cli/ops-cli.js';
import { runStartup } from '../../../../src/ops/startup/command.js';

const PORTS = { mongo: 27917, api: 18002, web: 18003 };

function ctx(): DoctorContext {
  const root = mkdtempSync(join(tmpdir(), 'botstack-lrdoc-'));
  return {
    stack: mustLoad(botStackInput(root, PORTS)), env: { PATH: '/usr/sbin:/usr/bin' }, pm2Home: join(root, 'pm2'), live: [], unitDir: root,
    logrotateDir: mkdtempSync(join(tmpdir(), 'botstack-lrdoc-d-')), run: async () => ({ exitCode: 0, stdout: '', stderr: '' }), nodeVersion: 'v20.19.0',
  };
}

const write = (c: DoctorContext, edit: (t: string) => string = (t) => t) => {
  const p = planLogrotate({ stack: c.stack, user: 'root', group: 'root', pm2Home: c.pm2Home, nodeBin: process.execPath, pm2Bin: pm2Install().bin, dir: c.logrotateDir! });
  writeFileSync(p.file, edit(p.text));
  return p.file;
};

describe('doctor: log rotation', () => {
  it('fails when nothing rotates the logs, with the command that sets it up', () => {
    const c = ctx();
    expect(logRotation(c)).toEqual([
      { check: 'logrotate', level: 'ok', message: 'logrotate is installed (/usr/sbin/logrotate)' },
      { check: 'logrotate', level: 'fail', message: `no ${c.logrotateDir}/botstack-${c.stack.name}: the stack's logs grow without end`, fix: `sudo botstack startup (writes ${c.logrotateDir}/botstack-${c.stack.name}; --dry-run shows it)` },
    ]);
  });

  it('passes the file botstack startup writes; warns until the hourly timer is there too', async () => {
    const c = ctx();
    const file = write(c);
    const units = timerUnits(c.stack.name, file, '/usr/sbin/logrotate', c.unitDir);
    expect(logRotation(c).slice(1)).toEqual([
      { check: 'logrotate', level: 'ok', message: `${file} rotates all 8 log files and reloads pm2 at ${c.pm2Home}` },
      { check: 'logrotate', level: 'warn', message: `no ${units.timerFile}: sizes are checked only at the daily logrotate run`, fix: `sudo botstack startup (writes ${file}; --dry-run shows it)` },
    ]);
    const calls: string[] = [];
    const line = await installTimer(units, async (f, a) => (calls.push([f, ...a].join(' ')), { exitCode: 0, stdout: '', stderr: '' }), {});
    expect(line).toBe(`ok    ${units.timerFile} written and enabled: sizes checked hourly`);
    expect(calls).toEqual(['systemctl daemon-reload', `systemctl enable --now botstack-logrotate-${c.stack.name}.timer`]);
    expect(logRotation(c).slice(1)).toHaveLength(1);
    expect(readFileSync(units.serviceFile, 'utf8')).toContain(`\nExecStart=/usr/sbin/logrotate ${file}\n`);
    expect(readFileSync(units.timerFile, 'utf8')).toContain('\nOnCalendar=hourly\n');
    // Without a running systemd (a container, this CI): written, and the command to enable it later.
    const again = await installTimer(units, async () => ({ exitCode: 1, stdout: '', stderr: 'System has not been booted with systemd' }), {});
    expect(again).toBe(`warn  ${units.timerFile} in place, but systemctl could not enable it (no running systemd?); sizes are checked only at the daily logrotate run until: systemctl enable --now botstack-logrotate-${c.stack.name}.timer`);
  });

  it('fails one that misses a service, reloads another daemon, runs a pm2 that is gone, or copies and truncates', () => {
    const c = ctx();
    const api = c.stack.services.find((s) => s.name === 'api')!.outFile;
    const file = write(c, (t) => t.replace(`"${api}"\n`, '').replace(`PM2_HOME='${c.pm2Home}'`, "PM2_HOME='/root/.pm2'").replace(/'[^']*bin\/pm2'/, "'/gone/pm2'").replace('nocreate', 'copytruncate'));
    expect(logRotation(c)[1]).toEqual({
      check: 'logrotate', level: 'fail',
      message: `${file} does not rotate ${api}; uses copytruncate, which loses lines; reloads the pm2 at PM2_HOME=/root/.pm2, but this stack's is ${c.pm2Home}; runs pm2 from /gone/pm2, which does not exist`,
      fix: `run again: sudo botstack startup (writes ${file}; --dry-run shows it)`,
    });
  });

  it("warns when the running pm2 daemon lacks the preload that makes reloadLogs lossless", () => {
    const c = { ...ctx(), live: [] };
    write(c);
    mkdirSync(c.pm2Home, { recursive: true });
    writeFileSync(join(c.pm2Home, 'pm2.pid'), '4242');
    const warning = () => logRotation(c).find((r) => r.message.includes('preload'));
    expect(warning()).toMatchObject({ level: 'warn', message: `the pm2 daemon at ${c.pm2Home} runs without botstack's log-reopen preload: pm2 reloadLogs can drop lines still queued at each rotation` });
    expect(warning()!.fix).toContain(`PM2_NODE_OPTIONS=--require=`);
    // The first preload wrote a bare pid: it dropped nothing, but kept each rotated file open.
    writeFileSync(join(c.pm2Home, 'botstack-reopen-logs.pid'), '4242');
    expect(warning()).toMatchObject({ level: 'warn', message: `the pm2 daemon at ${c.pm2Home} runs an older botstack log-reopen preload, which keeps every rotated log file open (one file descriptor per log file per rotation, until the daemon restarts)` });
    writeFileSync(join(c.pm2Home, 'botstack-reopen-logs.pid'), '4242 2');
    expect(warning()).toBeUndefined();
    // Another daemon's proof (a pid that is not pm2.pid's) is no proof.
    writeFileSync(join(c.pm2Home, 'botstack-reopen-logs.pid'), '4141 2');
    expect(warning()!.message).toContain("runs without botstack's log-reopen preload");
  });

  it('leaves a file botstack did not write alone', () => {
    const c = ctx();
    writeFileSync(join(c.logrotateDir!, `botstack-${c.stack.name}`), '/var/log/x.log { daily }\n');
    expect(logRotation(c)[1]).toMatchObject({ level: 'warn', message: `${c.logrotateDir}/botstack-${c.stack.name} was not written by botstack` });
  });

  it('finds logrotate in /usr/sbin whatever PATH says (Debian), on PATH otherwise, or nowhere', () => {
    expect(findLogrotate({ PATH: '/nowhere' })).toBe('/usr/sbin/logrotate');
    expect(findLogrotate({ PATH: '/nowhere:/usr/sbin' }, [])).toBe('/usr/sbin/logrotate');
    expect(findLogrotate({ PATH: '/nowhere' }, [])).toBeNull();
  });
});

describe('doctor: disk and log dir advice', () => {
  it('measures free space once per disk holding a log, and never recommends copytruncate', () => {
    const c = ctx();
    const r = disk(c);
    expect(r).toHaveLength(1);
    expect(r[0]!.message).toMatch(/free on the disk holding /);
    expect(JSON.stringify(logDir(c))).not.toContain('copytruncate');
  });
});

describe('botstack startup and log rotation', () => {
  it('--dry-run prints the logrotate file for the stack, with this PM2_HOME and pm2 pinned', async () => {
    const root = mkdtempSync(join(tmpdir(), 'botstack-lr-dry-'));
    const config = writeStackFile(botStackInput(root, PORTS), root);
    const r = await run(['startup', '--dry-run', '--config', config, '--user', 'root', '--log-max-size', '100M', '--log-keep', '30'], { env: { PATH: '/usr/bin', PM2_HOME: '/srv/pm2' } });
    expect(r.code).toBe(0);
    const text = r.stdout.slice(r.stdout.indexOf('# /etc/logrotate.d/'));
    expect(text.split('\n')[0]).toMatch(/^# \/etc\/logrotate\.d\/botstack-\S+, log rotation for every service \(logrotate\(8\)\)$/);
    expect(text).toContain(`\n"${root}/logs/api.out.log"\n`);
    expect(text).toContain('\n    maxsize 100M\n    rotate 30\n');
    expect(text).toContain(`PM2_HOME='/srv/pm2' '${process.execPath}' '${pm2Install().bin}' reloadLogs`);
  });

  it('--dry-run with a stack that does not load still prints the unit, and says why rotation is not shown', async () => {
    const r = await run(['startup', '--dry-run', '--config', '/nonexistent/stack.ts', '--user', 'root'], { env: { PATH: '/usr/bin' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\n# log rotation not shown: the stack file does not load \(1 problem\):\n$/);
  });

  it('--remove takes the timer, its service and the logrotate file away too', async () => {
    const root = mkdtempSync(join(tmpdir(), 'botstack-lr-rm-'));
    const config = writeStackFile(botStackInput(root, PORTS), root);
    const unitDir = mkdtempSync(join(tmpdir(), 'botstack-lr-rm-units-'));
    const logrotateDir = mkdtempSync(join(tmpdir(), 'botstack-lr-rm-d-'));
    const name = mustLoad(botStackInput(root, PORTS)).name;
    const units = timerUnits(name, join(logrotateDir, `botstack-${name}`), '/usr/sbin/logrotate', unitDir);
    for (const f of [units.timerFile, units.serviceFile, join(logrotateDir, `botstack-${name}`)]) writeFileSync(f, 'x');
    const calls: string[] = [];
    let out = '';
    const io = { stdout: { write: (t: string) => ((out += t), true) }, stderr: { write: () => true }, env: { PATH: '/usr/bin', PM2_HOME: join(root, 'pm2') }, cwd: '/' };
    const code = await runStartup(io, { config, remove: true, user: 'root', home: '/root' }, { unitDir, logrotateDir, isRoot: () => true, run: async (f, a) => (calls.push([f, ...a].join(' ')), { exitCode: 0, stdout: '', stderr: '' }) });
    expect(out.split('\n').slice(-4)).toEqual([`ok    removed ${units.timerFile}`, `ok    removed ${units.serviceFile}`, `ok    removed ${logrotateDir}/botstack-${name}`, '']);
    expect(calls).toEqual([`systemctl disable --now botstack-logrotate-${name}.timer`]);
    expect(code).toBe(0);
  });

  it('a bad rotation flag is exit 2, naming the flag', async () => {
    const r = await run(['startup', '--dry-run', '--log-keep', 'many'], { env: { PATH: '/usr/bin' } });
    expect(r).toMatchObject({ code: 2, stderr: 'botstack: --log-keep "many": expected a whole number from 1 to 1000\n' });
  });
});

