import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStartup } from '../../src/ops/startup/command.js';
import { execaRunner, type Runner } from '../../src/ops/startup/run.js';
import { pm2Install, renderUnit } from '../../src/ops/startup/unit.js';
import { daemonAnswers, Pm2Client } from '../../src/pm2/client.js';
import type { ProcessInfo } from '../../src/pm2/types.js';
import { waitFor } from '../../src/util/timeout.js';
import { run, writeStackFile } from '../unit/cli/ops-cli.js';
import { Cleanup } from '../helpers/cleanup.js';
import { makeProject } from '../helpers/project.js';
import { botStackInput, compileStack, mustLoad, randomPorts } from '../helpers/stack.js';

// Boot, short of a reboot: the unit botstack would install, then the real
// pm2 save -> pm2 kill -> pm2 resurrect cycle the unit runs, in a temp PM2_HOME.
// This file runs its own daemon (not startPm2): the daemon is killed and
// resurrected mid-test, and its cleanup must reach whichever one is alive.

const PM2 = pm2Install();
const pm2 = (home: string, ...args: string[]) => execa(process.execPath, [PM2.bin, ...args], { env: { ...process.env, PM2_HOME: home }, timeout: 60_000, reject: false });
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('botstack startup (real pm2, temp PM2_HOME)', () => {
  const cleanup = new Cleanup();
  const home = mkdtempSync(join(tmpdir(), 'botstack-boot-pm2-'));
  const pids = new Set<number>();
  let config: string;
  beforeAll(async () => {
    cleanup.add(async () => {
      if (await daemonAnswers(home)) await pm2(home, 'kill');
      for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    });
    const client = await Pm2Client.connect({ home, timeoutMs: 30_000 });
    const root = makeProject();
    const input = botStackInput(root, await randomPorts());
    config = writeStackFile(input, root);
    await client.start(compileStack(mustLoad(input)));
    const list = await waitFor('4 apps online', async () => {
      const l = await client.list();
      return l.length === 4 && l.every((p) => p.status === 'online' && p.pid > 0) ? l : undefined;
    }, { timeoutMs: 30_000 });
    list.forEach((p) => pids.add(p.pid));
    pids.add(Number(readFileSync(join(home, 'pm2.pid'), 'utf8')));
    await client.disconnect();
  }, 90_000);
  afterAll(() => cleanup.run(), 120_000);

  it('--dry-run: the unit has the given user, this PM2_HOME, node and pm2 on PATH, pm2 by absolute path', async () => {
    const r = await run(['startup', '--dry-run', '--user', 'botstack-op', '--home', '/home/botstack-op'], { env: { PM2_HOME: home, PATH: '/usr/bin:/bin' } });
    expect(r.code).toBe(0);
    const unit = r.stdout;
    expect(unit).toMatch(/^User=botstack-op$/m);
    expect(unit).toContain(`\nEnvironment=PM2_HOME=${home}\n`);
    expect(unit).toContain(`\nPIDFile=${home}/pm2.pid\n`);
    const path = /^Environment=PATH=(.*)$/m.exec(unit)![1]!.split(':');
    expect(path).toEqual(expect.arrayContaining([dirname(process.execPath), dirname(PM2.bin), '/usr/bin']));
    expect(unit).toContain(`\nExecStart=${PM2.bin} resurrect\n`);
    expect(existsSync(PM2.bin)).toBe(true);
    expect(unit).not.toMatch(/%[A-Z_]+%|undefined/);
  });

  it('installs (pm2 startup faked, pm2 save real), then save -> kill -> resurrect restores every app, watch off, same limits', async () => {
    const unitDir = mkdtempSync(join(tmpdir(), 'botstack-boot-units-'));
    // pm2 startup itself writes /etc/systemd/system: stand in for it, the way it fills the template.
    const systemctl: string[] = [];
    const runner: Runner = async (file, args, opts) => {
      // Never the machine's systemd: the hourly logrotate timer is enabled through this stand-in.
      if (file === 'systemctl') return (systemctl.push(args.join(' ')), { exitCode: 0, stdout: '', stderr: '' });
      if (args[1] !== 'startup') return execaRunner(file, args, opts);
      const tpl = readFileSync(PM2.systemdTemplate, 'utf8');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(unitDir, 'pm2-botstack-op.service'), renderUnit(tpl, { user: 'botstack-op', home: '/home/botstack-op', pm2Home: '/home/botstack-op/.pm2', path: opts.env.PATH ?? '', nodeBin: process.execPath, pm2Bin: PM2.bin }));
      return { exitCode: 0, stdout: '', stderr: '' };
    };
    let out = '';
    const io = { stdout: { write: (s: string) => ((out += s), true) }, stderr: { write: () => true }, env: { PM2_HOME: home, PATH: process.env.PATH, USER: 'botstack-op' }, cwd: '/' };
    const logrotateDir = mkdtempSync(join(tmpdir(), 'botstack-boot-logrotate-'));
    const code = await runStartup(io, { config, home: '/home/botstack-op' }, { unitDir, run: runner, isRoot: () => true, logrotateDir });
    expect(out.split('\n')).toEqual([
      `ok    ${unitDir}/pm2-botstack-op.service corrected (pm2 wrote User=botstack-op, PM2_HOME=/home/botstack-op/.pm2); now User=botstack-op, PM2_HOME=${home}`,
      `ok    pm2 save wrote ${home}/dump.pm2`,
      expect.stringMatching(new RegExp(`^ok    ${logrotateDir}/botstack-\\S+ written: rotates 8 log files daily or past 50M, keeps 14, compressed$`)),
      expect.stringMatching(new RegExp(`^ok    ${unitDir}/botstack-logrotate-\\S+\\.timer written and enabled: sizes checked hourly$`)),
      'ok    resurrect would restore 4 apps (mongod, api, web, bot) with watch off and the running limits',
      '',
    ]);
    expect(code).toBe(0);
    expect(systemctl).toEqual(['daemon-reload', expect.stringMatching(/^enable --now botstack-logrotate-\S+\.timer$/)]);

    const before = await listOf(home);
    expect((await pm2(home, 'kill')).exitCode).toBe(0);
    expect(await daemonAnswers(home)).toBe(false);
    expect((await pm2(home, 'resurrect')).exitCode).toBe(0);
    pids.add(Number(readFileSync(join(home, 'pm2.pid'), 'utf8')));
    const after = await waitFor('4 apps back online', async () => {
      const l = await listOf(home);
      return l.length === 4 && l.every((p) => p.status === 'online' && p.pid > 0) ? l : undefined;
    }, { timeoutMs: 45_000, intervalMs: 250 });
    after.forEach((p) => pids.add(p.pid));
    expect(after.map(settings)).toEqual(before.map(settings));
    expect(after.every((p) => p.watch === false)).toBe(true);
    expect(after.map((p) => p.pid)).not.toEqual(before.map((p) => p.pid));
  }, 150_000);
});

async function listOf(home: string): Promise<ProcessInfo[]> {
  const c = await Pm2Client.connect({ home, spawnDaemon: false, timeoutMs: 10_000 });
  try {
    return (await c.list()).sort((a, b) => a.name.localeCompare(b.name));
  } finally {
    await c.disconnect();
  }
}

const settings = (p: ProcessInfo) => ({
  name: p.name, watch: p.watch, maxMemoryRestart: p.maxMemoryRestart, killTimeout: p.killTimeout, maxRestarts: p.maxRestarts, minUptime: p.minUptime,
  autorestart: p.autorestart, interpreter: p.interpreter, execPath: p.execPath, args: p.args, outFile: p.outFile, errFile: p.errFile, namespace: p.namespace,
});
