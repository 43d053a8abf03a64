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

/**
 * treeRss, except that a socket holder counts itself plus its largest child's tree, not the sum of its children.
 * `tree` measures one tree (the monitor passes TreeMemory's, which keeps each tree's pids for a while).
 */
export function serviceRss(root: number, procRoot = '/proc', tree: (pid: number) => number | null = (pid) => treeRss(pid, procRoot)): number | null {
  if (!isHolder(root, procRoot)) return tree(root);
  const own = ownRss(root, procRoot);
  if (own === null) return null;
  const kids = directChildren(root, procRoot).map((c) => tree(c) ?? 0);
  return own + Math.max(0, ...kids);
}
