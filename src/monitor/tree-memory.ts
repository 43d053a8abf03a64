import { readdirSync, readFileSync } from 'node:fs';

// Resident memory of a process and all its descendants, read every probe
// interval. util/proctree's snapshot reads every process on the machine; here
// we walk only the service's own tree through /proc/<pid>/task/<tid>/children,
// which costs a few reads per process instead of a few hundred. A child made
// by a worker thread (uvicorn's sync endpoints run in a thread pool) is listed
// under that thread, so every task is read.

const PAGE = 4096;

/** One process's resident bytes, from statm, or null when it is gone. */
export function rss(pid: number, procRoot: string): number | null {
  try {
    // statm: size resident shared ...; in pages.
    const resident = Number(readFileSync(`${procRoot}/${pid}/statm`, 'utf8').split(' ')[1]);
    return Number.isFinite(resident) ? resident * PAGE : null;
  } catch {
    return null;
  }
}

/** A process's direct children, over all its threads. */
export function children(pid: number, procRoot: string): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`${procRoot}/${pid}/task`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const tid of tasks) {
    try {
      for (const c of readFileSync(`${procRoot}/${pid}/task/${tid}/children`, 'utf8').split(' ')) if (c.trim()) out.push(Number(c));
    } catch {
      /* the thread ended between readdir and read */
    }
  }
  return out;
}

/** Bytes resident in `root`'s whole tree, or null when `root` is gone. */
export function treeRss(root: number, procRoot = '/proc'): number | null {
  const first = rss(root, procRoot);
  if (first === null) return null;
  let total = first;
  const seen = new Set([root]);
  const todo = children(root, procRoot);
  while (todo.length > 0) {
    const pid = todo.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    total += rss(pid, procRoot) ?? 0;
    todo.push(...children(pid, procRoot));
  }
  return total;
}
