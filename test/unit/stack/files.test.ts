import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFiles, which } from '../../../src/stack/files.js';
import { FILE, load, svc } from './given.js';

// Missing scripts are problems before pm2 sees anything: pm2 would start the
// apps it can find and leave the stack up half-way.

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'botstack-files-'));
  mkdirSync(join(root, 'venv', 'bin'), { recursive: true });
  for (const exe of ['venv/bin/python', 'venv/bin/uvicorn', 'bin/mongod']) {
    mkdirSync(join(root, exe, '..'), { recursive: true });
    writeFileSync(join(root, exe), '#!/bin/sh\n');
    chmodSync(join(root, exe), 0o755);
  }
  mkdirSync(join(root, 'bot'));
  writeFileSync(join(root, 'bot', 'main.py'), '');
  return root;
}

const stackIn = (root: string, services: unknown[]) => load(services, { stack: { root } });

describe('checkFiles', () => {
  it('finds nothing wrong in a complete project', () => {
    const root = project();
    expect(checkFiles(stackIn(root, [{ ...svc.mongod, binary: join(root, 'bin/mongod') }, svc.api, svc.bot]))).toEqual([]);
  });

  it('names a missing working folder, script, venv and mongod binary, with the fix', () => {
    const root = project();
    const stack = stackIn(root, [{ ...svc.mongod, binary: 'no-such-mongod' }, { ...svc.api, venv: 'nope' }, { ...svc.bot, script: 'bot/gone.py' }, { ...svc.node, cwd: 'missing' }]);
    expect(checkFiles(stack, { PATH: '/nonexistent' })).toEqual([
      { file: FILE, path: 'services.0.binary', service: 'mongod', message: 'no-such-mongod is not an executable file on PATH', fix: 'install MongoDB, or set BOTSTACK_MONGOD to the mongod binary' },
      { file: FILE, path: 'services.1.venv', service: 'api', message: `${root}/nope/bin/python does not exist`, fix: `create the venv: python3 -m venv ${root}/nope (or set BOTSTACK_VENV)` },
      { file: FILE, path: 'services.1.venv', service: 'api', message: `${root}/nope/bin/uvicorn does not exist`, fix: `install uvicorn into the venv: ${root}/nope/bin/pip install uvicorn` },
      { file: FILE, path: 'services.2.script', service: 'bot', message: `${root}/bot/gone.py does not exist`, fix: 'correct the path, or set BOTSTACK_ROOT to the project folder' },
      { file: FILE, path: 'services.3.cwd', service: 'worker', message: `working folder ${root}/missing does not exist`, fix: 'create it, or set BOTSTACK_ROOT / worker.cwd to the project folder' },
      { file: FILE, path: 'services.3.script', service: 'worker', message: `${root}/missing/worker.js does not exist`, fix: 'correct the path, or set BOTSTACK_ROOT to the project folder' },
    ]);
  });

  it('checks the real script behind envexec.py for a service with secrets', () => {
    const root = project();
    const got = checkFiles(stackIn(root, [{ ...svc.bot, script: 'bot/gone.py', secrets: ['TELEGRAM_BOT_TOKEN'] }]), { TELEGRAM_BOT_TOKEN: 'x' });
    expect(got.map((p) => p.message)).toEqual([`${root}/bot/gone.py does not exist`]);
  });

  it('a declared secret in neither the environment nor <root>/.env: the key and the .env path, never a value', () => {
    const root = project();
    const stack = stackIn(root, [{ ...svc.bot, secrets: ['TELEGRAM_BOT_TOKEN', 'API_KEY'] }]);
    expect(checkFiles(stack, {})).toEqual([
      { file: FILE, path: 'services.0.secrets.0', service: 'bot', message: `secret TELEGRAM_BOT_TOKEN is not set: not in the environment, and ${root}/.env does not exist`, fix: `add TELEGRAM_BOT_TOKEN=… to ${root}/.env (chmod 600), or export it before botstack start; remove it from bot.secrets if bot does not read it` },
      expect.objectContaining({ path: 'services.0.secrets.1', message: `secret API_KEY is not set: not in the environment, and ${root}/.env does not exist` }),
    ]);
    writeFileSync(join(root, '.env'), '# tokens\nexport TELEGRAM_BOT_TOKEN="123:abc"\nAPI_KEY=\n');
    expect(checkFiles(stack, {}).map((p) => p.message)).toEqual([`secret API_KEY is not set: not in the environment, and not in ${root}/.env`]);
    // Control: the environment holds it.
    expect(checkFiles(stack, { API_KEY: 'k' })).toEqual([]);
  });
});

describe('which', () => {
  it('finds executables on PATH, and takes a path with a slash as given', () => {
    const root = project();
    expect(which('mongod', { PATH: `/nonexistent:${join(root, 'bin')}` })).toBe(join(root, 'bin', 'mongod'));
    expect(which(join(root, 'bin', 'mongod'), { PATH: '' })).toBe(join(root, 'bin', 'mongod'));
    expect(which(join(root, 'bot', 'main.py'), { PATH: '' })).toBeNull();
    expect(which('mongod', { PATH: '' })).toBeNull();
  });
});
