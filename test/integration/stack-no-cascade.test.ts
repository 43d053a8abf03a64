import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../src/pm2/types.js';
import { snapshot, treeOf } from '../../src/util/proctree.js';
import { waitFor } from '../../src/util/timeout.js';
import { Cleanup } from '../helpers/cleanup.js';
import { startPm2, type TestDaemon } from '../helpers/pm2.js';
import { makeProject, MONGOD_STANDIN } from '../helpers/project.js';
import { botStackInput, compileStack, mustLoad, randomPorts, type Ports } from '../helpers/stack.js';

// One service dying must not take the others with it. pm2 spawns each app
// detached, in its own process group; the incident's script ran them all in one.

const SERVICES = ['mongod', 'api', 'web', 'bot'] as const;

function procStat(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** /proc/<pid>/stat after the command name: state, ppid, pgrp, ... */
const pgrp = (pid: number): number => Number(procStat(pid)?.[2]);
const alive = (pid: number): boolean => {
  const st = procStat(pid);
  return st !== null && st[0] !== 'Z';
};

const serves = (url: string) =>
  waitFor(`${url} answers again`, async () => {
    try {
      return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok ? true : undefined;
    } catch {
      return undefined;
    }
  }, { timeoutMs: 20_000, intervalMs: 100 });

const byName = (list: ProcessInfo[]) => new Map(list.map((p) => [p.name, p]));

describe('no cascade under pm2', () => {
  const cleanup = new Cleanup();
  let d: TestDaemon;
  let ports: Ports;
  beforeAll(async () => {
    d = await startPm2(cleanup);
    ports = await randomPorts();
    await d.client.start(compileStack(mustLoad(botStackInput(makeProject(), ports))));
    await d.until('all four online', (l) => l.length === 4 && l.every((p) => p.status === 'online' && p.pid > 0));
  });
  afterAll(() => cleanup.run());

  it('runs every service in a process group of its own', async () => {
    const groups = (await d.client.list()).map((p) => pgrp(p.pid));
    expect(new Set(groups).size).toBe(4);
    expect(groups).not.toContain(pgrp(process.pid));
  });

  for (const name of SERVICES) {
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      it(`${signal} to ${name}: only ${name} restarts, the others keep their PIDs`, async () => {
        const before = byName(await d.client.list());
        const victim = before.get(name)!;
        process.kill(victim.pid, signal);
        const after = byName(await d.until(`${name} back online with a new pid`, (l) => {
          const p = l.find((x) => x.name === name);
          return !!p && p.status === 'online' && p.pid > 0 && p.pid !== victim.pid;
        }));
        expect(after.get(name)!.restarts).toBe(victim.restarts + 1);
        if (name === 'api' || name === 'web') await serves(`http://127.0.0.1:${ports[name]}${name === 'api' ? '/health' : '/api/health'}`);
        expect(alive(victim.pid)).toBe(false);
        for (const other of SERVICES.filter((n) => n !== name)) {
          expect({ name: other, pid: after.get(other)!.pid, restarts: after.get(other)!.restarts, alive: alive(after.get(other)!.pid) })
            .toEqual({ name: other, pid: before.get(other)!.pid, restarts: before.get(other)!.restarts, alive: true });
        }
      });
    }
  }
});

describe('CONTROL: the incident\'s start script, everything backgrounded with & in one process group', () => {
  const cleanup = new Cleanup();
  afterAll(() => cleanup.run());

  it('loses all four services to one signal to the group, and nothing brings them back', async () => {
    const root = makeProject();
    const ports = await randomPorts();
    const script = join(root, 'start_all_services.sh');
    writeFileSync(script, [
      '#!/bin/bash',
      `node ${MONGOD_STANDIN} --port ${ports.mongo} --dbpath ${root}/data/db &`,
      `MONGO_PORT=${ports.mongo} ./venv/bin/python -m uvicorn api_v2.app:app --host 127.0.0.1 --port ${ports.api} &`,
      `./venv/bin/python -m uvicorn web.app:app --host 127.0.0.1 --port ${ports.web} &`,
      'TELEGRAM_BOT_TOKEN=123:x ./venv/bin/python bot/main.py &',
      'wait',
      '',
    ].join('\n'));
    // detached: the script leads a new group, as it did in its own SSH session; never ours.
    const sh = spawn('bash', [script], { cwd: root, detached: true, stdio: 'ignore' });
    cleanup.add(() => {
      try {
        process.kill(-sh.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    });
    const kids = await waitFor('four services running under the script', () => {
      const tree = treeOf(sh.pid!, snapshot()).filter((p) => p.pid !== sh.pid);
      return tree.length >= 4 ? tree.map((p) => p.pid) : undefined;
    }, { timeoutMs: 20_000 });
    expect(new Set(kids.map(pgrp))).toEqual(new Set([sh.pid]));

    process.kill(-sh.pid!, 'SIGTERM');
    await waitFor('every service is gone', () => (kids.every((p) => !alive(p)) ? true : undefined), { timeoutMs: 15_000 });
    expect(kids.filter(alive)).toEqual([]);
  });
});
