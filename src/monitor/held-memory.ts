import { readFileSync } from 'node:fs';
import { children as directChildren, rss as ownRss, treeRss } from './tree-memory.js';

// The memory a held uvicorn service counts against its limit
// (docs/zero-downtime.md). A rolling restart runs two uvicorn children under
// the holder for about a second: summing them would trip the service's limit
// on every deploy of a service near it, and the heal it triggers would restart
// the service in the middle of its own roll. So under the socket holder a
// service counts the holder itself plus its LARGEST child's whole tree: outside
// a roll there is one child and that is the plain sum; during one, the figure
// is what either version alone holds. The machine still pays for both, which
// is why the heal rolls only when there is room for two (heal-roll.ts).

/** Whether `pid` is botstack's socket holder (runtime/sockhold.py). */
export function isHolder(pid: number, procRoot = '/proc'): boolean {
  try {
    return readFileSync(`${procRoot}/${pid}/cmdline`, 'utf8').split('\0').some((a) => a.endsWith('/sockhold.py'));
  } catch {
    return false;
  }
}

/** How the monitor reads memory: TreeMemory's kept trees and fds, and a cached holder check. */
export interface MemoryReader {
  tree(pid: number): number | null;
  own(pid: number): number | null;
  holder(pid: number): boolean;
  /** Direct children; `fresh` when a listed one turned out gone (a roll replaced it). */
  children(pid: number, fresh?: boolean): readonly number[];
}

/** The uncached reader: every call reads /proc afresh (the CLI, the tests' control). */
export const freshReader = (procRoot = '/proc'): MemoryReader => ({
  tree: (pid) => treeRss(pid, procRoot),
  own: (pid) => ownRss(pid, procRoot),
  holder: (pid) => isHolder(pid, procRoot),
  children: (pid) => directChildren(pid, procRoot),
});

/**
 * treeRss, except that a socket holder counts itself plus its largest child's tree, not the sum of its children.
 * `read` measures (the monitor passes one over TreeMemory, which keeps each tree's pids for a while).
 */
export function serviceRss(root: number, procRoot = '/proc', read: MemoryReader = freshReader(procRoot)): number | null {
  if (!read.holder(root)) return read.tree(root);
  const own = read.own(root);
  if (own === null) return null;
  let sizes = read.children(root).map((c) => read.tree(c));
  // A kept child list that names a process now gone: a roll replaced it, so list them again.
  if (sizes.includes(null)) sizes = read.children(root, true).map((c) => read.tree(c));
  return own + Math.max(0, ...sizes.map((b) => b ?? 0));
}

/**
 * isHolder, remembered per pid for `ttlMs`: a pid's command line changes only
 * at an exec (a launcher that execs into the holder at start), so it is read
 * again after a while, not on every interval. Entries of pids not asked about are dropped.
 */
export class HolderCache {
  private readonly seen = new Map<number, { readonly holder: boolean; readonly at: number }>();

  constructor(private readonly now: () => number, private readonly ttlMs: number, private readonly procRoot = '/proc') {}

  holder(pid: number): boolean {
    const t = this.now();
    const e = this.seen.get(pid);
    if (e && t - e.at < this.ttlMs) return e.holder;
    const holder = isHolder(pid, this.procRoot);
    this.seen.set(pid, { holder, at: t });
    if (this.seen.size > 64) for (const [p, x] of this.seen) if (t - x.at >= this.ttlMs) this.seen.delete(p);
    return holder;
  }
}
