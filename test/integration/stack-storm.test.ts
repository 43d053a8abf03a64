import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../../src/util/timeout.js';
import { Cleanup } from '../helpers/cleanup.js';
import { startPm2 } from '../helpers/pm2.js';
import { FIXTURE_PROJECT, makeProject } from '../helpers/project.js';
import { freePort } from '../helpers/ports.js';
import { botStackInput, compileStack, mustLoad, randomPorts } from '../helpers/stack.js';
import { SYSTEM_PYTHON } from '../helpers/venv.js';

// The incident: the VPS pulled from git every ~25 minutes, uvicorn ran with
// --reload, and each pull restarted it. Here a "pull storm" rewrites the
// services' files 200 times. The control (uvicorn --reload) shows the storm is
// real and measures how fast a reloader reacts; botstack's stack must then sit
// through the same storm for 3x that long without a single restart.

const WRITES = 200;
let reactionMs = 0;

/** 200 writes in 20 pulls of 10 files: edited sources and new files, as git leaves them. */
async function pullStorm(root: string): Promise<{ startedAt: number; endedAt: number }> {
  const startedAt = Date.now();
  for (let i = 0; i < WRITES; i++) {
    const pull = Math.floor(i / 10);
    const file = [`api_v2/app.py`, `web/app.py`, `bot/main.py`, `api_v2/new_${pull}.py`, `web/static_${pull}.txt`][i % 5]!;
    appendFileSync(join(root, file), `\n# pull ${pull} write ${i}\n`);
    // Pulls are spaced like a busy deploy, not for synchronisation: every pull
    // lands after a reloader's poll, so it gets 20 separate chances to fire.
    if (i % 10 === 9) await sleep(50);
  }
  return { startedAt, endedAt: Date.now() };
}

async function healthPid(url: string): Promise<number | undefined> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return r.ok ? ((await r.json()) as { pid: number }).pid : undefined;
  } catch {
    return undefined;
  }
}

describe('the git-pull storm', () => {
  const cleanup = new Cleanup();
  afterAll(() => cleanup.run());

  it('CONTROL: restarts uvicorn run with --reload (its worker PID changes)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'botstack-reload-'));
    cpSync(FIXTURE_PROJECT, root, { recursive: true });
    const port = await freePort();
    // Its own process group, as the incident's script never gave it; killed by that group's id.
    const child = spawn(SYSTEM_PYTHON, ['-m', 'uvicorn', 'api_v2.app:app', '--host', '127.0.0.1', '--port', String(port), '--reload'], {
      cwd: root, detached: true, stdio: 'ignore', env: { ...process.env, CHECK_MONGO: '0' },
    });
    cleanup.add(() => killGroup(child.pid));
    const url = `http://127.0.0.1:${port}/health`;
    const before = await waitFor('uvicorn --reload answers', () => healthPid(url), { timeoutMs: 20_000 });

    const { startedAt } = await pullStorm(root);
    const after = await waitFor('the reloader restarts the worker', async () => {
      const pid = await healthPid(url);
      return pid !== undefined && pid !== before ? pid : undefined;
    }, { timeoutMs: 20_000, intervalMs: 25 });
    reactionMs = Date.now() - startedAt;

    expect(after).not.toBe(before);
    console.log(`control: uvicorn --reload replaced worker ${before} with ${after} ${reactionMs} ms after the storm began`);
  });

  it('botstack stack: not one restart, every PID the same, for 3x the reloader\'s reaction time', async () => {
    expect(reactionMs, 'the control must run first and measure a reaction').toBeGreaterThan(0);
    const d = await startPm2(cleanup);
    const ports = await randomPorts();
    const root = makeProject();
    await d.client.start(compileStack(mustLoad(botStackInput(root, ports))));
    await d.until('all four online', (l) => l.length === 4 && l.every((p) => p.status === 'online' && p.pid > 0));
    const apiUrl = `http://127.0.0.1:${ports.api}/health`;
    const servingPid = await waitFor('api answers', () => healthPid(apiUrl), { timeoutMs: 20_000 });
    const before = new Map((await d.client.list()).map((p) => [p.name, p.pid]));
    // The api runs under the socket holder: the pid that answers is its uvicorn, the holder's (pm2's process's) child.
    expect(readFileSync(`/proc/${servingPid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]).toBe(String(before.get('api')));

    const { endedAt } = await pullStorm(root);
    const watchUntil = endedAt + Math.max(3 * reactionMs, 2000);
    let polls = 0;
    while (Date.now() < watchUntil) {
      const now = await d.client.list();
      for (const p of now) expect({ name: p.name, pid: p.pid, restarts: p.restarts, status: p.status }).toEqual({ name: p.name, pid: before.get(p.name), restarts: 0, status: 'online' });
      expect(await healthPid(apiUrl)).toBe(servingPid);
      polls++;
      await sleep(100);
    }
    console.log(`botstack: ${polls} polls over ${Date.now() - endedAt} ms after the storm: no restart (control reacted in ${reactionMs} ms)`);
  });
});

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}
