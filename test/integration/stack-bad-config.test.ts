import { join } from 'node:path';
import { execa } from 'execa';
import { register } from 'tsx/cjs/api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appsFromFile, InvalidStackError } from '../../src/ops/ecosystem/entry.js';
import { Cleanup } from '../helpers/cleanup.js';
import { startPm2, type TestDaemon } from '../helpers/pm2.js';
import { REPO } from '../helpers/project.js';

// A bad stack must start nothing, and say exactly what is wrong: the file, the
// dot-path, the service and the problem. pm2 alone would start whatever it could.

const DIR = join(REPO, 'test', 'fixtures', 'stacks');
const PM2_BIN = join(REPO, 'node_modules', '.bin', 'pm2');

const CASES: Record<string, string> = {
  'typo-key': 'services.1.kill_timout (api): unknown key "kill_timout"; pm2 would drop it without a word',
  'watch-on': 'services.2.watch (web): watch: true restarts the service whenever a file changes; a git pull then takes it down (the 25-minute crash)',
  'reload-arg': 'services.1.args (api): "--reload" in production restarts the service whenever a file changes; a git pull then takes it down',
  'dup-port': 'services.2.port (web): port 8002 is also used by services.1 (api); the second to start would fail to bind',
  'unknown-dep': 'services.1.dependsOn.0 (api): "mongo" is not a service in this stack (services: mongod, api, web, bot, monitor)',
};
const stackFile = (name: string) => join(DIR, `${name}.stack.ts`);

describe('a bad stack through appsFromFile (what ecosystem.config.cjs gives pm2)', () => {
  let unregister: () => void;
  beforeAll(() => {
    unregister = register();
  });
  afterAll(() => unregister());

  it.each(Object.entries(CASES))('%s: throws, and prints the file, path, service and problem', (name, problem) => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => appsFromFile(stackFile(name), ['node', 'pm2', 'start'])).toThrow(InvalidStackError);
      const printed = stderr.mock.calls.map((c) => String(c[0])).join('');
      expect(printed).toContain(`botstack: 1 problem(s) in ${stackFile(name)}; nothing was started.`);
      expect(printed).toContain(`${stackFile(name)}: ${problem}`);
    } finally {
      stderr.mockRestore();
    }
  });
});

describe('a bad stack through the real `pm2 start <file>.config.cjs`', () => {
  const cleanup = new Cleanup();
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startPm2(cleanup);
  });
  afterAll(() => cleanup.run());

  it.each(Object.entries(CASES))('%s: pm2 starts nothing and stderr names what is wrong', async (name, problem) => {
    const r = await execa(PM2_BIN, ['start', join(DIR, `${name}.config.cjs`)], { env: { PM2_HOME: d.home }, reject: false, timeout: 30_000 });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain(`botstack: 1 problem(s) in ${stackFile(name)}; nothing was started.`);
    expect(r.stderr).toContain(`${stackFile(name)}: ${problem}`);
    expect(await d.client.list()).toEqual([]);
  });

  it('a valid ecosystem.config.cjs with BOTSTACK_ROOT at a missing folder starts nothing, not the apps it could find', async () => {
    const root = '/nonexistent/v3';
    const r = await execa(PM2_BIN, ['start', 'ecosystem.config.cjs'], { cwd: REPO, env: { PM2_HOME: d.home, BOTSTACK_ROOT: root, BOTSTACK_ENV: undefined }, reject: false, timeout: 30_000 });
    expect(r.exitCode).not.toBe(0);
    const file = join(REPO, 'ecosystem.config.ts');
    expect(r.stderr).toContain(`nothing was started.\n${file}: services.0.cwd (mongod): working folder ${root} does not exist\n  fix: create it, or set BOTSTACK_ROOT / mongod.cwd to the project folder`);
    expect(r.stderr).toContain(`${file}: services.3.script (bot): ${root}/bot/main.py does not exist`);
    expect(await d.client.list()).toEqual([]);
  });
});
