import { afterAll, describe, expect, it } from 'vitest';
import { Cleanup } from '../helpers/cleanup.js';
import { startPm2 } from '../helpers/pm2.js';
import { makeProject } from '../helpers/project.js';
import { cli, stackFile } from '../unit/cli/cli-run.js';

// Its own file: pm2 binds one PM2_HOME per process, so one daemon per test file.

describe('botstack stop names a service pm2 had to SIGKILL', () => {
  const cleanup = new Cleanup();
  afterAll(() => cleanup.run());
  it('a process that ignores SIGINT past its stop timeout is reported killed, exit 1', async () => {
    const d = await startPm2(cleanup);
    const root = makeProject();
    const ignoreInt = 'import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); print("ready", flush=True); time.sleep(600)';
    const config = stackFile({ name: 'stubborn', root, monitor: false, services: [{ name: 'stubborn', kind: 'command', command: '/usr/bin/python3', args: ['-c', ignoreInt], stop: { timeout: '1s' } }] }, root);
    const env = { PM2_HOME: d.home, PATH: process.env.PATH };
    const start = await cli(['start', '--config', config], env);
    expect(start.code).toBe(0);
    // monitor: false is said out loud on every start.
    expect(start.stderr).toBe('botstack: warning: stubborn runs without the health monitor (monitor: false): a service that hangs will not be healed; remove monitor: false to have one\n');
    const r = await cli(['stop', '--config', config], env);
    expect(r.stdout).toMatch(/^stubborn {2}KILLED after \d+\.\d s: it did not exit within its stop timeout \(1\.0 s\), so pm2 sent SIGKILL$/m);
    expect(r.stdout).toContain('had to be killed: stubborn; check their logs for an unclean shutdown (botstack logs stubborn) or raise stop.timeout\n');
    expect(r.code).toBe(1);
  });
});
