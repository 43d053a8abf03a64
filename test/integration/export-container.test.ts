import { execFile, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fromInput } from '../../src/rules/stack-load.js';
import { exportModel } from '../../src/export/render.js';
import type { Check, ContainerService } from '../../src/export/types.js';
import { Cleanup } from '../helpers/cleanup.js';

// The exported api container, run as the engine would run it: its command
// line (python -m uvicorn ... --host 0.0.0.0), its env, its workdir, in a
// network namespace of its own (only a loopback, like a container's, so
// 0.0.0.0 reaches nothing outside). Then its exported checks, run inside that
// namespace: with MongoDB down the api answers 503, so readiness fails while
// liveness passes (no cascade); once the process hangs, liveness fails too.
// Real uvicorn and FastAPI (Debian's), real HTTP.

const PROJECT = resolve(import.meta.dirname, '../fixtures/project');
const PYTHON = '/usr/bin/python3'; // the image's `python`; Debian's has uvicorn and FastAPI
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const canUnshare = spawnSync('unshare', ['-n', 'true']).status === 0;

function apiContainer(root: string): ContainerService {
  const input = {
    name: 'shop',
    root,
    services: [
      { name: 'mongod', kind: 'mongod' },
      // MONGO_PORT 27017: nothing listens in the namespace, so /health answers 503.
      { name: 'api', kind: 'uvicorn', app: 'api_v2.app:app', port: 8002, dependsOn: ['mongod'], env: { MONGO_PORT: '27017' } },
    ],
  };
  const r = fromInput(input, join(root, 'stack.config.ts'), { env: {} });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  const api = exportModel(r.stack).services.find((s) => s.name === 'api');
  if (!api) throw new Error('no api');
  return api;
}

const argvOf = (c: Check): string[] => {
  if (c.type !== 'exec') throw new Error(`expected an exec check, got ${c.type}`);
  return c.argv.map((a, i) => (i === 0 && a === 'python' ? PYTHON : a));
};

/** Exit code of a check run inside the process's network namespace. */
const runIn = (pid: number, argv: readonly string[]): Promise<number> =>
  new Promise((done) => {
    execFile('nsenter', [`--net=/proc/${pid}/ns/net`, ...argv], { timeout: 30_000 }, (err) => done(err === null ? 0 : typeof err.code === 'number' ? err.code : -1));
  });

async function until(what: string, fn: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!canUnshare)('the exported api container', () => {
  it('binds 0.0.0.0 as exported; liveness passes with its dependency down and fails when it hangs', async () => {
    const root = mkdtempSync(join(tmpdir(), 'botstack-export-app-'));
    cpSync(PROJECT, root, { recursive: true });
    const api = apiContainer(root);
    expect(api.command).toEqual(['python', '-m', 'uvicorn', 'api_v2.app:app', '--host', '0.0.0.0', '--port', '8002']);
    expect(api.workdir).toBe('/app');

    // The image's /app is this copy of the project; the rest is the exported line.
    const script = `ip link set lo up && exec ${PYTHON} ${api.command.slice(1).map((a) => `'${a}'`).join(' ')}`;
    const child = spawn('unshare', ['-n', 'sh', '-c', script], { cwd: root, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...api.env }, stdio: 'ignore' });
    const pid = child.pid!;
    cleanup.add(() => {
      try {
        process.kill(pid, 'SIGCONT');
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    });
    const live = argvOf(api.checks!.live.check);
    const whole = argvOf(api.checks!.compose!.check);

    await until('uvicorn to answer inside its namespace', async () => (await runIn(pid, live)) === 0);
    // It listens on 0.0.0.0:8002 (00000000:1F42, state 0A LISTEN) in its namespace's socket table, as exported.
    const listening = readFileSync(`/proc/${pid}/net/tcp`, 'utf8').split('\n').map((l) => l.trim().split(/\s+/));
    expect(listening.some((f) => f[1] === '00000000:1F42' && f[3] === '0A')).toBe(true);
    // MongoDB is down: the whole check (compose healthcheck, readiness) fails; liveness does not restart for it.
    expect(await runIn(pid, whole)).toBe(1);
    expect(await runIn(pid, live)).toBe(0);

    // A hung event loop: the kernel still accepts, nothing answers. Liveness must fail.
    process.kill(pid, 'SIGSTOP');
    expect(await runIn(pid, live)).not.toBe(0);
    process.kill(pid, 'SIGCONT');
    await until('uvicorn to answer again', async () => (await runIn(pid, live)) === 0);
  });
});
