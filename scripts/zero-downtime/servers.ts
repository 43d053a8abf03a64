import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pidAlive } from '../../src/util/proctree.js';
import { waitFor } from '../../src/util/timeout.js';
import type { Cleanup } from '../../test/helpers/cleanup.js';
import { appSource } from '../../test/helpers/sockhold.js';
import { SYSTEM_PYTHON } from '../../test/helpers/venv.js';

// The alternatives scripts/bench-zero-downtime.ts compares, each serving the
// same FastAPI app (test/helpers/sockhold.ts's appSource) from its own folder
// and port: gunicorn with uvicorn's worker (HUP), two instances on
// SO_REUSEPORT (reuseport.py), and uvicorn --reload (the incident's way).

export interface Served {
  readonly port: number;
  readonly proc: ChildProcess;
  writeApp(source: string): void;
}

function folder(cleanup: Cleanup, name: string): { dir: string; writeApp: (s: string) => void } {
  const dir = mkdtempSync(join(tmpdir(), `botstack-zd-${name}-`));
  cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'app'));
  const writeApp = (s: string) => writeFileSync(join(dir, 'app', 'main.py'), s);
  writeApp(appSource(1));
  return { dir, writeApp };
}

function run(cleanup: Cleanup, args: string[], cwd: string, stdout: 'pipe' | 'ignore' = 'ignore'): ChildProcess {
  const proc = spawn(SYSTEM_PYTHON, args, { cwd, stdio: ['pipe', stdout, 'ignore'], detached: true, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  cleanup.add(() => proc.pid && pidAlive(proc.pid) && process.kill(-proc.pid, 'SIGKILL'));
  return proc;
}

const answers = (port: number) => () => fetch(`http://127.0.0.1:${port}/health`).then((r) => (r.ok ? true : undefined), () => undefined);

export async function gunicorn(cleanup: Cleanup, port: number): Promise<Served> {
  const f = folder(cleanup, 'gunicorn');
  const proc = run(cleanup, ['-m', 'gunicorn', '-k', 'uvicorn.workers.UvicornWorker', '-w', '1', '-b', `127.0.0.1:${port}`, '--graceful-timeout', '10', 'main:app'], join(f.dir, 'app'));
  await waitFor('gunicorn answers', answers(port), { timeoutMs: 30_000, intervalMs: 50 });
  return { port, proc, writeApp: f.writeApp };
}

export async function reload(cleanup: Cleanup, port: number): Promise<Served> {
  const f = folder(cleanup, 'reload');
  const proc = run(cleanup, ['-m', 'uvicorn', 'main:app', '--reload', '--host', '127.0.0.1', '--port', String(port), '--no-access-log'], join(f.dir, 'app'));
  await waitFor('uvicorn --reload answers', answers(port), { timeoutMs: 30_000, intervalMs: 50 });
  return { port, proc, writeApp: f.writeApp };
}

export interface ReusePort extends Served {
  roll(killOld?: boolean): Promise<number>;
  /** The pid of the instance serving now. */
  current(): number;
}

export async function reuseport(cleanup: Cleanup, port: number): Promise<ReusePort> {
  const f = folder(cleanup, 'reuseport');
  const script = join(import.meta.dirname, 'reuseport.py');
  const proc = run(cleanup, [script, String(port), '--', 'main:app', '--no-access-log'], join(f.dir, 'app'), 'pipe');
  const lines = createInterface({ input: proc.stdout! });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (l) => waiting.shift()?.(l));
  const next = () => new Promise<string>((res) => waiting.push(res));
  let current = Number((await next()).split(' ')[1]);
  return {
    port,
    proc,
    writeApp: f.writeApp,
    current: () => current,
    roll: async (killOld = false) => {
      const line = next();
      proc.stdin!.write(killOld ? 'roll kill-old\n' : 'roll\n');
      current = Number((await line).split(' ')[1]);
      return current;
    },
  };
}
