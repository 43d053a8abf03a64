import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimePaths } from '../../../src/util/package-root.js';

// runtime/envexec.py: secrets are read from <root>/.env inside the service at
// spawn, so pm2 never holds them; exec keeps the PID pm2 signals.

const dir = mkdtempSync(join(tmpdir(), 'botstack-envexec-'));
const SHOW = join(dir, 'show.py');
writeFileSync(SHOW, 'import json, os, sys\nprint(json.dumps({"pid": os.getpid(), "argv": sys.argv[1:], "env": {k: v for k, v in os.environ.items() if k.startswith("T_")}}))\n');

interface Run { pid: number | undefined; code: number | null; stdout: string; stderr: string }

function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/python3', [runtimePaths.envExec(), ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ pid: child.pid, code, stdout, stderr }));
  });
}

const shown = async (envFile: string, env: Record<string, string> = {}, extra: string[] = []) => {
  const r = await run([envFile, SHOW, ...extra], env);
  expect(r.stderr).toBe('');
  return { ...(JSON.parse(r.stdout) as { pid: number; argv: string[]; env: Record<string, string> }), spawned: r.pid };
};

describe('envexec.py', () => {
  it('loads KEY=VALUE lines: comments, blanks, export, quotes', async () => {
    const file = join(dir, 'a.env');
    writeFileSync(file, '# the bot\n\nT_TOKEN=123:abc\nexport T_URL=http://127.0.0.1:8002\nT_Q="quoted value"\nT_S=\'single\'\nT_EQ=a=b\nnot a pair\n');
    const { env } = await shown(file);
    expect(env).toEqual({ T_TOKEN: '123:abc', T_URL: 'http://127.0.0.1:8002', T_Q: 'quoted value', T_S: 'single', T_EQ: 'a=b' });
  });

  it('never overrides a variable already in the environment', async () => {
    const file = join(dir, 'b.env');
    writeFileSync(file, 'T_TOKEN=from-file\n');
    expect((await shown(file, { T_TOKEN: 'from-env' })).env).toEqual({ T_TOKEN: 'from-env' });
  });

  it('runs the program even when the env file is missing', async () => {
    expect((await shown(join(dir, 'missing.env'), { T_X: '1' })).env).toEqual({ T_X: '1' });
  });

  it('execs in place: the program keeps the PID pm2 spawned, and gets its args', async () => {
    const r = await shown(join(dir, 'missing.env'), {}, ['--port', '8002']);
    expect(r.pid).toBe(r.spawned);
    expect(r.argv).toEqual(['--port', '8002']);
  });

  it('exits 2 with usage when called without a program', async () => {
    const r = await run([join(dir, 'a.env')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('envexec: usage: envexec.py ENV_FILE PROGRAM [ARGS...]\n');
  });
});
