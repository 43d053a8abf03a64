import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { REWALK_MS, TreeMemory, treeRss } from '../../../src/monitor/tree-memory.js';
import { waitFor } from '../../../src/util/timeout.js';

// A fake /proc: <pid>/statm (resident pages in field 2) and
// <pid>/task/<tid>/children. TreeMemory reads every known process each call
// and walks for new ones only every REWALK_MS or when a known one ended.

const PAGE = 4096;

function fakeProc() {
  const root = mkdtempSync(join(tmpdir(), 'botstack-proc-'));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  const kids = new Map<number, number[]>();
  const write = (pid: number) => writeFileSync(join(root, String(pid), 'task', String(pid), 'children'), (kids.get(pid) ?? []).map((c) => `${c} `).join(''));
  return {
    root,
    proc(pid: number, pages: number, parent?: number) {
      mkdirSync(join(root, String(pid), 'task', String(pid)), { recursive: true });
      writeFileSync(join(root, String(pid), 'statm'), `1000 ${pages} 10 1 0 50 0\n`);
      write(pid);
      if (parent !== undefined) {
        kids.set(parent, [...(kids.get(parent) ?? []), pid]);
        write(parent);
      }
    },
    end(pid: number, parent: number) {
      rmSync(join(root, String(pid)), { recursive: true, force: true });
      kids.set(parent, (kids.get(parent) ?? []).filter((c) => c !== pid));
      write(parent);
    },
  };
}

describe('tree memory', () => {
  it('sums the tree, reads known processes every call, and finds a new child by the next walk', () => {
    const p = fakeProc();
    p.proc(100, 10);
    p.proc(101, 5, 100);
    let now = 0;
    const trees = new TreeMemory(p.root, REWALK_MS, () => now);
    expect(trees.rss(100)).toBe(15 * PAGE);
    p.proc(101, 50); // a known child grows: seen at once
    expect(trees.rss(100)).toBe(60 * PAGE);
    p.proc(102, 7, 101); // a new grandchild: the uncached walk (control) sees it now, the kept list by REWALK_MS
    expect(treeRss(100, p.root)).toBe(67 * PAGE);
    now = REWALK_MS - 1;
    expect(trees.rss(100)).toBe(60 * PAGE);
    now = REWALK_MS;
    expect(trees.rss(100)).toBe(67 * PAGE);
  });

  it('walks again at once when a known process ended, and answers null when the root did', () => {
    const p = fakeProc();
    p.proc(200, 10);
    p.proc(201, 5, 200);
    const trees = new TreeMemory(p.root, REWALK_MS, () => 0);
    expect(trees.rss(200)).toBe(15 * PAGE);
    p.end(201, 200);
    p.proc(202, 3, 200);
    expect(trees.rss(200)).toBe(13 * PAGE);
    rmSync(join(p.root, '200'), { recursive: true });
    expect(trees.rss(200)).toBeNull();
    expect(treeRss(200, p.root)).toBeNull();
  });
});

// The real /proc: each kept pid's statm stays open and is read again at
// offset 0. A kept fd must see a figure change, must answer null once its
// process is gone (never a reused pid's), and no fd may outlive its tree.
describe('tree memory on the real /proc, with kept statm fds', () => {
  const MiB = 2 ** 20;
  function child(): { pid: number; grow(): Promise<void>; kill(): void } {
    const c = spawn(process.execPath, ['-e', "const k=[]; process.on('message', () => { k.push(Buffer.alloc(64 << 20, 1)); process.send('grown'); }); setInterval(() => {}, 1e6)"], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    const kill = () => { try { process.kill(c.pid!, 'SIGKILL'); } catch { /* gone */ } };
    onTestFinished(kill);
    return {
      pid: c.pid!,
      grow: () => new Promise<void>((res) => { c.once('message', () => res()); c.send('grow'); }),
      kill,
    };
  }

  it('sees growth through the kept fd, answers null when the process ended, and closes its fds', async () => {
    const c = child();
    const trees = new TreeMemory();
    await waitFor('the child is running', () => (trees.rss(c.pid) !== null ? true : undefined), { timeoutMs: 10_000, intervalMs: 20 });
    const before = trees.rss(c.pid)!;
    expect(trees.openFds).toBe(1);
    await c.grow();
    expect(trees.rss(c.pid)! - before).toBeGreaterThan(60 * MiB);
    c.kill();
    await waitFor('the child is gone', () => (treeRss(c.pid) === null ? true : undefined), { timeoutMs: 10_000, intervalMs: 20 });
    expect(trees.rss(c.pid)).toBeNull();
    expect(trees.openFds).toBe(0);
  });

  it("own() keeps a holder's fd only while it is read", async () => {
    const [holder, other] = [child(), child()];
    let now = 0;
    const trees = new TreeMemory('/proc', REWALK_MS, () => now);
    await waitFor('both children run', () => (treeRss(holder.pid) !== null && treeRss(other.pid) !== null ? true : undefined), { timeoutMs: 10_000, intervalMs: 20 });
    expect(trees.own(holder.pid)).toBeGreaterThan(0);
    expect(trees.openFds).toBe(1);
    now = 3 * REWALK_MS;
    expect(trees.rss(other.pid)).toBeGreaterThan(0); // a walk drops what was not read lately, and keeps its own tree
    expect(trees.openFds).toBe(1);
    expect(new TreeMemory('/proc', REWALK_MS, () => 0, false).own(holder.pid)).toBeGreaterThan(0); // control: opened per read, nothing kept
  });
});
