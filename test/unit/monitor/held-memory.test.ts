import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { healByRoll, roomForTwo } from '../../../src/monitor/heal-roll.js';
import { freshReader, HolderCache, isHolder, serviceRss } from '../../../src/monitor/held-memory.js';
import { TreeMemory, treeRss } from '../../../src/monitor/tree-memory.js';

// A fake /proc: pid -> (cmdline, resident pages, children).
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function proc(tree: Record<number, { cmd: string; pages: number; kids?: number[] }>): string {
  const root = mkdtempSync(join(tmpdir(), 'botstack-proc-'));
  dirs.push(root);
  for (const [pid, p] of Object.entries(tree)) {
    mkdirSync(join(root, pid, 'task', pid), { recursive: true });
    writeFileSync(join(root, pid, 'cmdline'), p.cmd.split(' ').join('\0') + '\0');
    writeFileSync(join(root, pid, 'statm'), `1000 ${p.pages} 0 0 0 0 0\n`);
    writeFileSync(join(root, pid, 'task', pid, 'children'), (p.kids ?? []).join(' '));
  }
  return root;
}
const PAGE = 4096;

describe('a held service counts the holder plus its largest child', () => {
  const rolling = () =>
    proc({
      10: { cmd: '/v/bin/python /pkg/runtime/sockhold.py -- /v/bin/uvicorn app:app', pages: 2000, kids: [11, 12] },
      11: { cmd: '/v/bin/python sockhold_child.py', pages: 12_000, kids: [13] },
      13: { cmd: 'python -c grow', pages: 5000 },
      12: { cmd: '/v/bin/python sockhold_child.py', pages: 9000 },
    });

  it('during a roll: not the sum of the two children (treeRss would count both)', () => {
    const root = rolling();
    expect(isHolder(10, root)).toBe(true);
    expect(serviceRss(10, root)).toBe((2000 + 12_000 + 5000) * PAGE);
    expect(treeRss(10, root)).toBe((2000 + 12_000 + 5000 + 9000) * PAGE);
  });

  it('anything else is measured as before: the whole tree', () => {
    const root = proc({ 20: { cmd: '/v/bin/python /v/bin/uvicorn app:app', pages: 3000, kids: [21] }, 21: { cmd: 'python worker', pages: 4000 } });
    expect(isHolder(20, root)).toBe(false);
    expect(serviceRss(20, root)).toBe(7000 * PAGE);
    expect(serviceRss(99, root)).toBeNull();
  });
});

describe('a heal rolls only with room for two', () => {
  const MiB = 2 ** 20;
  it('refuses, saying why, when MemAvailable is under twice the serving tree', () => {
    expect(roomForTwo({ memAvailable: () => 150 * MiB, childRss: () => 100 * MiB })).toBe('only 150 MiB available, and a second copy needs about 100 MiB (with as much to spare)');
    expect(roomForTwo({ memAvailable: () => 250 * MiB, childRss: () => 100 * MiB })).toBeNull();
  });

  it('rolls with SIGKILL for the old one when hung; falls back when the gate fails or the holder is unreachable', async () => {
    const asked: unknown[] = [];
    const deps = (r: Awaited<ReturnType<Parameters<typeof healByRoll>[0]['roll']>>) => ({ memAvailable: () => 1000 * MiB, childRss: () => 50 * MiB, roll: async (dir: string, o: unknown) => (asked.push([dir, o]), r) });
    expect(await healByRoll(deps({ ok: true, pid: 7, readyMs: 400 }), { dir: '/d', hung: true, timeoutMs: 9 })).toStrictEqual({ rolled: true, pid: 7 });
    expect(asked).toStrictEqual([['/d', { timeoutMs: 9, killOld: true }]]);
    expect(await healByRoll(deps({ ok: false, reason: 'GET /health answered 503' }), { dir: '/d', hung: false, timeoutMs: 9 })).toStrictEqual({ rolled: false, why: 'the new process failed its health gate (GET /health answered 503)' });
    expect(await healByRoll(deps({ ok: false, reason: 'cannot reach', unreachable: true }), { dir: '/d', hung: false, timeoutMs: 9 })).toStrictEqual({ rolled: false, why: 'not rolled: cannot reach' });
  });
});

describe('the holder check, cached per pid', () => {
  it('reads a command line once per ttl, and sees an exec into the holder after it', () => {
    const root = proc({ 30: { cmd: '/v/bin/python /pkg/runtime/envexec.py -- sockhold', pages: 10 } });
    let now = 0;
    const cache = new HolderCache(() => now, 5000, root);
    expect(cache.holder(30)).toBe(false);
    writeFileSync(join(root, '30', 'cmdline'), ['/v/bin/python', '/pkg/runtime/sockhold.py', '--', 'uvicorn'].join('\0') + '\0');
    now = 4999;
    expect(cache.holder(30)).toBe(false); // within the ttl: the cached answer
    expect(isHolder(30, root)).toBe(true); // control: a fresh read sees the exec
    now = 5000;
    expect(cache.holder(30)).toBe(true);
  });

  it('serviceRss through a reader gives what the fresh reads give', () => {
    const root = proc({
      40: { cmd: '/v/bin/python /pkg/runtime/sockhold.py -- /v/bin/uvicorn app:app', pages: 2000, kids: [41] },
      41: { cmd: '/v/bin/python sockhold_child.py', pages: 12_000 },
    });
    const cache = new HolderCache(() => 0, 5000, root);
    const reader = { ...freshReader(root), holder: (pid: number) => cache.holder(pid) };
    expect(serviceRss(40, root, reader)).toBe(serviceRss(40, root));
    expect(serviceRss(40, root)).toBe(14_000 * PAGE);
  });
});

describe("the holder's child list, kept between walks", () => {
  it('is listed again at once when the child it names is gone (a roll replaced it)', () => {
    const root = proc({
      50: { cmd: '/v/bin/python /pkg/runtime/sockhold.py -- uvicorn', pages: 1000, kids: [51] },
      51: { cmd: 'python sockhold_child.py', pages: 8000 },
    });
    const trees = new TreeMemory(root, 5000, () => 0);
    const reader = { ...freshReader(root), tree: (p: number) => trees.rss(p), children: (p: number, fresh?: boolean) => trees.children(p, fresh) };
    expect(serviceRss(50, root, reader)).toBe(9000 * PAGE);
    // The roll: a new child 52 serves, the old 51 has ended; the clock has not moved, so the kept list is still "fresh".
    rmSync(join(root, '51'), { recursive: true });
    mkdirSync(join(root, '52', 'task', '52'), { recursive: true });
    writeFileSync(join(root, '52', 'statm'), '1000 6000 0 0 0 0 0\n');
    writeFileSync(join(root, '52', 'task', '52', 'children'), '');
    writeFileSync(join(root, '50', 'task', '50', 'children'), '52');
    expect(serviceRss(50, root, reader)).toBe(7000 * PAGE);
    expect(serviceRss(50, root)).toBe(7000 * PAGE); // control: the fresh reads agree
  });
});
