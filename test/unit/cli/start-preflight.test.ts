import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { makeVenv } from '../../helpers/venv.js';
import { FIXTURE_PROJECT } from '../../helpers/project.js';
import { botStackInput } from '../../helpers/stack.js';
import { freePorts } from '../../helpers/ports.js';
import { cli, stackFile } from './cli-run.js';
import { cmdline } from '../../../src/util/proctree.js';

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => resolve(srv));
  });
}

describe('botstack start: preflight starts nothing when it fails', () => {
  it('names every missing venv and script, and starts no pm2 daemon', async () => {
    const root = mkdtempSync(join(tmpdir(), 'botstack-bare-'));
    const home = join(root, 'pm2-home');
    const [mongo, api, web] = await freePorts(3);
    const r = await cli(['start', '--config', stackFile(botStackInput(root, { mongo: mongo!, api: api!, web: web! }), root)], { PM2_HOME: home, PATH: process.env.PATH });
    const file = join(root, 'stack.mjs');
    expect(r.stderr).toBe(
      [
        'botstack: not starting test-bot; preflight found 7 problems:',
        `  ${file}: services.1.venv (api): ${root}/venv/bin/python does not exist`,
        `    fix: create the venv: python3 -m venv ${root}/venv (or set BOTSTACK_VENV)`,
        `  ${file}: services.1.venv (api): ${root}/venv/bin/uvicorn does not exist`,
        `    fix: install uvicorn into the venv: ${root}/venv/bin/pip install uvicorn`,
        `  ${file}: services.2.venv (web): ${root}/venv/bin/python does not exist`,
        `    fix: create the venv: python3 -m venv ${root}/venv (or set BOTSTACK_VENV)`,
        `  ${file}: services.2.venv (web): ${root}/venv/bin/uvicorn does not exist`,
        `    fix: install uvicorn into the venv: ${root}/venv/bin/pip install uvicorn`,
        `  ${file}: services.3.venv (bot): ${root}/venv/bin/python does not exist`,
        `    fix: create the venv: python3 -m venv ${root}/venv (or set BOTSTACK_VENV)`,
        `  ${file}: services.3.script (bot): ${root}/bot/main.py does not exist`,
        `    fix: correct the path, or set BOTSTACK_ROOT to the project folder`,
        `  ${file}: services.3.secrets.0 (bot): secret TELEGRAM_BOT_TOKEN is not set: not in the environment, and ${root}/.env does not exist`,
        `    fix: add TELEGRAM_BOT_TOKEN=… to ${root}/.env (chmod 600), or export it before botstack start; remove it from bot.secrets if bot does not read it`,
        'nothing was started.',
        '',
      ].join('\n'),
    );
    expect(r.stdout).toBe('');
    expect(r.code).toBe(1);
    expect(existsSync(join(home, 'rpc.sock'))).toBe(false);
  });

  it('a port in use names its holder like lsof, and nothing starts', async () => {
    const root = mkdtempSync(join(tmpdir(), 'botstack-port-'));
    cpSync(FIXTURE_PROJECT, root, { recursive: true });
    writeFileSync(join(root, '.env'), 'TELEGRAM_BOT_TOKEN=123456:TEST-token-not-real\n', { mode: 0o600 });
    makeVenv(join(root, 'venv'));
    const home = join(root, 'pm2-home');
    const [mongo, api, web] = await freePorts(3);
    const holder = await listen(api!);
    onTestFinished(() => new Promise<void>((r) => holder.close(() => r())));
    const r = await cli(['start', '--config', stackFile(botStackInput(root, { mongo: mongo!, api: api!, web: web! }), root)], { PM2_HOME: home, PATH: process.env.PATH });
    expect(r.stderr).toBe(
      [
        'botstack: not starting test-bot; preflight found 1 problem:',
        `  port ${api} is already in use by pid ${process.pid} (${cmdline(process.pid)}); stop it or change api.port`,
        'nothing was started.',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(1);
    expect(existsSync(join(home, 'rpc.sock'))).toBe(false);
  });
});

describe('botstack start: the check rules gate it', () => {
  it('a database with a too-short stop timeout is refused before anything starts', async () => {
    const root = mkdtempSync(join(tmpdir(), 'botstack-rule-'));
    cpSync(FIXTURE_PROJECT, root, { recursive: true });
    writeFileSync(join(root, '.env'), 'TELEGRAM_BOT_TOKEN=123456:TEST-token-not-real\n', { mode: 0o600 });
    makeVenv(join(root, 'venv'));
    const home = join(root, 'pm2-home');
    const [mongo, api, web] = await freePorts(3);
    const input = botStackInput(root, { mongo: mongo!, api: api!, web: web! });
    const services = input.services.map((s) => (s.name === 'mongod' ? { ...s, stop: { timeout: '2s' } } : s));
    const r = await cli(['start', '--config', stackFile({ ...input, services }, root)], { PM2_HOME: home, PATH: process.env.PATH });
    // The rule's own wording belongs to `check`; start's part is the frame, the rule id and its fix.
    expect(r.stderr).toMatch(/^botstack: not starting test-bot; preflight found 1 problem:\n  .*mongod.* \[short-kill-timeout-db\]\n {4}fix: .*mongod.*\nnothing was started\.\n$/);
    expect(r.code).toBe(1);
    expect(existsSync(join(home, 'rpc.sock'))).toBe(false);
  });
});
