import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { REWALK_MS, TreeMemory, treeRss } from '../../../src/monitor/tree-memory.js';

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
