import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { botStackInput } from '../../helpers/stack.js';
import { cli, NO_DAEMON, stackFile } from './cli-run.js';

const PORTS = { mongo: 27991, api: 18092, web: 18093 };
const config = () => stackFile(botStackInput(mkdtempSync(join(tmpdir(), 'botstack-root-')), PORTS));

describe('botstack start/stop/restart/status: arguments, messages, exit codes', () => {
  it('status with no pm2 daemon exits 2 and says so, without starting one', async () => {
    const r = await cli(['status', '--config', config()]);
    expect(r.stderr).toBe(`botstack: pm2 is not running (PM2_HOME=${NO_DAEMON}); start the stack with: botstack start\n`);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
    expect(existsSync(join(NO_DAEMON, 'rpc.sock'))).toBe(false);
  });

  it('a missing stack file is exit 2 with the path and what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'botstack-empty-'));
    const r = await cli(['status'], { PM2_HOME: NO_DAEMON }, dir);
    expect(r.stderr).toBe(
      `botstack: the stack file does not load (1 problem):\n${dir}/ecosystem.config.ts: (file): no stack file at ${dir}/ecosystem.config.ts\n` +
        '  fix: pass --config <file>, or run from the folder holding ecosystem.config.ts\n',
    );
    expect(r.code).toBe(2);
  });

  it('start of an unknown service is exit 2 and lists the real ones', async () => {
    const r = await cli(['start', 'ap', '--config', config()]);
    expect(r.stderr).toBe('botstack: no service named "ap" in stack test-bot; its services are: mongod, api, web, bot\n');
    expect(r.code).toBe(2);
  });

  it('restart needs a service name', async () => {
    const r = await cli(['restart', '--config', config()]);
    expect(r.stderr).toBe("error: missing required argument 'service'\n(run with --help for usage)\n");
    expect(r.code).toBe(2);
  });

  it('restart with no daemon is exit 2', async () => {
    const r = await cli(['restart', 'api', '--config', config()]);
    expect(r.stderr).toBe(`botstack: pm2 is not running (PM2_HOME=${NO_DAEMON}); start the stack with: botstack start\n`);
    expect(r.code).toBe(2);
  });

  it('stop with no daemon has nothing to do and succeeds', async () => {
    const r = await cli(['stop', '--config', config()]);
    expect(r.stdout).toBe(`nothing to stop: no pm2 daemon runs at PM2_HOME=${NO_DAEMON}\n`);
    expect(r.code).toBe(0);
  });

  it('an unknown flag is a usage error', async () => {
    const r = await cli(['status', '--jsn']);
    expect(r.stderr).toBe("error: unknown option '--jsn'\n(Did you mean --json?)\n(run with --help for usage)\n");
    expect(r.code).toBe(2);
  });

  it.each(['start', 'stop', 'restart', 'status'])('%s --help documents its exit codes', async (cmd) => {
    const r = await cli([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Exit codes:\n {2}0 {2}.+\n {2}1 {2}.+\n {2}2 {2}.+/);
    expect(r.stdout).toContain('--config <file>');
  });
});
