import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pidAlive } from '../../src/util/proctree.js';
import { waitFor } from '../../src/util/timeout.js';
import type { Cleanup } from './cleanup.js';
import { REPO } from './project.js';
import { SYSTEM_PYTHON } from './venv.js';

// A tiny FastAPI app run by runtime/sockhold.py directly (no pm2): the
// launcher's own behaviour under load. Its code is rewritten between rolls,
// as a deploy's checkout would.

export const SOCKHOLD = join(REPO, 'runtime', 'sockhold.py');

/** A FastAPI app whose answers name their pid; `broken` answers 500 on every route. */
export function appSource(version: number, opts: { broken?: boolean } = {}): string {
  const broken = opts.broken
    ? `\n@app.middleware("http")\nasync def everything_fails(request, call_next):\n    return JSONResponse({"broken": True}, status_code=500)\n`
    : '';
  return `import os\nfrom fastapi import FastAPI\nfrom fastapi.responses import JSONResponse\n\napp = FastAPI()\nVERSION = ${version}\n${broken}\n@app.get("/health")\ndef health():\n    return {"status": "ok", "pid": os.getpid(), "version": VERSION}\n`;
}

export interface Holder {
  readonly dir: string;
  readonly control: string;
  readonly proc: ChildProcess;
  readonly port: number;
  /** Every stderr line with when it arrived (performance.now()). */
  readonly lines: { at: number; text: string }[];
  writeApp(source: string): void;
}

export async function startHolder(cleanup: Cleanup, port: number, opts: { stopTimeoutS?: number; dir?: string } = {}): Promise<Holder> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'botstack-sockhold-'));
  if (!opts.dir) cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'app'), { recursive: true });
  const writeApp = (source: string) => writeFileSync(join(dir, 'app', 'main.py'), source);
  if (!opts.dir) writeApp(appSource(1));
  const control = join(dir, 'state', 'sockhold', 'api');
  const args = [SOCKHOLD, '--control', control, '--gate', '/health', '--gate-timeout', '3', '--stop-timeout', String(opts.stopTimeoutS ?? 10), '--', 'main:app', '--host', '127.0.0.1', '--port', String(port), '--no-access-log'];
  const proc = spawn(SYSTEM_PYTHON, args, { cwd: join(dir, 'app'), stdio: ['ignore', 'ignore', 'pipe'], detached: true, env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' } });
  // The launcher's own process group: its children die with it.
  cleanup.add(() => proc.pid && pidAlive(proc.pid) && process.kill(-proc.pid, 'SIGKILL'));
  const lines: { at: number; text: string }[] = [];
  let rest = '';
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (c: string) => {
    const parts = (rest + c).split('\n');
    rest = parts.pop() ?? '';
    for (const text of parts) lines.push({ at: performance.now(), text });
  });
  await waitFor('the held api answers', () => fetch(`http://127.0.0.1:${port}/health`).then((r) => (r.ok ? true : undefined), () => undefined), { timeoutMs: 30_000, intervalMs: 50 });
  return { dir, control, proc, port, lines, writeApp };
}

/** When the launcher's log said pid `pid` serves (the gated child prints this once ready). */
export function servingSince(h: Holder, pid: number): number | undefined {
  return h.lines.find((l) => l.text.includes(`socket held by botstack, pid ${pid})`))?.at;
}
