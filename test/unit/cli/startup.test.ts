import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStartup } from '../../../src/ops/startup/command.js';
import { planStartup } from '../../../src/ops/startup/plan.js';
import type { Runner } from '../../../src/ops/startup/run.js';
import { installStartup, removeStartup } from '../../../src/ops/startup/install.js';
import { run } from './ops-cli.js';

const PM2_BIN = resolve(import.meta.dirname, '..', '..', '..', 'node_modules', 'pm2', 'bin', 'pm2');
const NODE_DIR = dirname(process.execPath);
const PM2_DIR = dirname(PM2_BIN);
/** Preloaded into the daemon so pm2 reloadLogs drops no line (src/pm2/daemon-options.ts). */
const REOPEN = resolve(import.meta.dirname, '..', '..', '..', 'runtime', 'pm2-reopen-logs.cjs');

/** The unit pm2 7's systemd.tpl gives, filled in as botstack must fill it. */
function expectedUnit(user: string, pm2Home: string, path: string): string {
  return `[Unit]
Description=PM2 process manager
Documentation=https://pm2.keymetrics.io/
After=network.target

[Service]
Type=forking
User=${user}
LimitNOFILE=infinity
LimitNPROC=infinity
LimitCORE=infinity
Environment=PATH=${path}:/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin
Environment=PM2_HOME=${pm2Home}
Environment=PM2_NODE_OPTIONS=--require=${REOPEN}
PIDFile=${pm2Home}/pm2.pid
Restart=on-failure

ExecStart=${PM2_BIN} resurrect
ExecReload=${PM2_BIN} reload all
ExecStop=${PM2_BIN} kill

[Install]
WantedBy=multi-user.target
`;
}

describe('botstack startup --dry-run', () => {
  it('prints the unit with the given user, the PM2_HOME in use (not <home>/.pm2) and node/pm2 on PATH', async () => {
    const env = { PATH: '/usr/bin:/bin', PM2_HOME: '/srv/botstack/pm2' };
    const r = await run(['startup', '--dry-run', '--user', 'alice', '--home', '/home/alice'], { env });
    const path = ['/usr/bin', '/bin', ...(NODE_DIR === '/usr/bin' ? [] : [NODE_DIR]), PM2_DIR].join(':');
    // The log rotation file follows (test/unit/ops/logrotate/startup-logrotate.test.ts).
    expect(r.stdout.slice(0, r.stdout.indexOf('\n# /etc/logrotate.d/') + 1)).toBe(
      `# /etc/systemd/system/pm2-alice.service, from pm2 7.0.4's systemd template\n${expectedUnit('alice', '/srv/botstack/pm2', path)}` +
        '# would run: pm2 startup systemd -u alice --hp /home/alice --service-name pm2-alice\n' +
        '#            (PM2_HOME=/srv/botstack/pm2), then pm2 save, then check that resurrect restores every service\n',
    );
    expect(r.code).toBe(0);
  });

  it('never writes User=undefined: with no $USER the user comes from the uid, the home from /etc/passwd', async () => {
    const r = await run(['startup', '--dry-run'], { env: { PATH: '/usr/bin' } });
    expect(r.stdout).not.toContain('undefined');
    expect(r.stdout).toMatch(/^User=root$/m);
    expect(r.stdout).toMatch(/^Environment=PM2_HOME=\/root\/.pm2$/m);
  });

  it('uses $SUDO_USER over $USER, so `sudo botstack startup` installs for the operator', async () => {
    const r = await run(['startup', '--dry-run', '--home', '/home/ubuntu'], { env: { PATH: '/usr/bin', USER: 'root', SUDO_USER: 'ubuntu' } });
    expect(r.stdout).toMatch(/^User=ubuntu$/m);
    expect(r.stdout).toMatch(/^Environment=PM2_HOME=\/home\/ubuntu\/.pm2$/m);
  });

  it('rejects bad flags with the fix, exit 2', async () => {
    expect(await run(['startup', '--dry-run', '--remove'], { env: {} })).toEqual({ code: 2, stdout: '', stderr: 'botstack: --dry-run and --remove do not go together; pick one\n' });
    expect((await run(['startup', '--dry-run', '--user', 'no such'], { env: {} })).stderr).toBe('botstack: --user "no such" is not a user name; expected a login name like ubuntu\n');
    expect((await run(['startup', '--dry-run', '--user', 'nobody-here-xyz'], { env: {} })).stderr).toBe('botstack: no home folder for user "nobody-here-xyz" in /etc/passwd; pass --home <dir>\n');
  });

  it('refuses to install without root and prints the sudo command to run', async () => {
    const out: string[] = [];
    const io = { stdout: { write: (s: string) => (out.push(s), true) }, stderr: { write: () => true }, env: { PATH: '/usr/bin', PM2_HOME: '/tmp/p' }, cwd: '/' };
    await expect(runStartup(io, { config: 'x', user: 'alice', home: '/home/alice' }, { isRoot: () => false })).rejects.toThrow(
      'startup writes /etc/systemd/system/pm2-alice.service, which needs root; run: sudo env PATH="$PATH" PM2_HOME=/tmp/p botstack startup --user alice --home /home/alice',
    );
  });
});

describe('installing and removing the unit (pm2 faked, unit dir in a temp folder)', () => {
  const setup = () => {
    const unitDir = mkdtempSync(join(tmpdir(), 'botstack-units-'));
    const plan = planStartup({ env: { PATH: '/usr/bin', PM2_HOME: '/srv/pm2' }, user: 'alice', home: '/home/alice', unitDir });
    const calls: string[][] = [];
    return { unitDir, plan, calls };
  };

  it('runs pm2 startup with -u/--hp, corrects the PM2_HOME pm2 wrote, then pm2 save', async () => {
    const { plan, calls } = setup();
    const fake: Runner = async (_file, args, opts) => {
      calls.push([...args.slice(1), `PM2_HOME=${opts.env.PM2_HOME}`]);
      // pm2 fills %HOME_PATH% from --hp: <home>/.pm2, whatever PM2_HOME says.
      if (args[1] === 'startup') writeFileSync(plan.unitFile, plan.unit.replaceAll('/srv/pm2', '/home/alice/.pm2'));
      return { exitCode: 0, stdout: '', stderr: '' };
    };
    const o = await installStartup(plan, fake);
    expect(calls).toEqual([
      ['startup', 'systemd', '-u', 'alice', '--hp', '/home/alice', '--service-name', 'pm2-alice', 'PM2_HOME=/srv/pm2'],
      ['save', 'PM2_HOME=/srv/pm2'],
    ]);
    expect(o).toEqual({
      ok: true,
      lines: [`ok    ${plan.unitFile} corrected (pm2 wrote User=alice, PM2_HOME=/home/alice/.pm2); now User=alice, PM2_HOME=/srv/pm2`, 'ok    pm2 save wrote /srv/pm2/dump.pm2'],
    });
    expect(readFileSync(plan.unitFile, 'utf8')).toBe(plan.unit);
  });

  it('reports a failed pm2 startup with its own words', async () => {
    const { plan } = setup();
    const o = await installStartup(plan, async () => ({ exitCode: 1, stdout: '\x1b[31m[PM2][ERROR] Init system not found\x1b[39m', stderr: '' }));
    expect(o).toEqual({ ok: false, lines: ['fail  pm2 startup systemd exited 1: [PM2][ERROR] Init system not found'] });
  });

  it('--remove deletes the unit pm2 unstartup leaves behind when systemctl cannot stop it', async () => {
    const { plan, calls } = setup();
    writeFileSync(plan.unitFile, plan.unit);
    const fake: Runner = async (file, args) => {
      calls.push([file, ...args.slice(file === 'systemctl' ? 0 : 1)]);
      // What pm2 7.0.4 does here: systemctl fails, rm never runs, exit code 0.
      return file === 'systemctl' ? { exitCode: 1, stdout: '', stderr: 'System has not been booted with systemd' } : { exitCode: 0, stdout: 'Return code : 1', stderr: '' };
    };
    const o = await removeStartup(plan, fake);
    expect(existsSync(plan.unitFile)).toBe(false);
    expect(calls).toEqual([[plan.nodeBin, 'unstartup', 'systemd', '-u', 'alice', '--service-name', 'pm2-alice'], ['systemctl', 'disable', 'pm2-alice']]);
    expect(o.lines).toEqual([
      'ok    pm2 unstartup systemd exited 0',
      `ok    pm2 left ${plan.unitFile} in place (Return code : 1); removed it`,
      'ok    boot startup removed; the saved list /srv/pm2/dump.pm2 is kept (delete it to forget it)',
    ]);
  });
});
