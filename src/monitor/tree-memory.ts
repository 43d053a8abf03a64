import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { monoNow } from '../util/mono.js';

// Resident memory of a process and all its descendants, read every probe
// interval. util/proctree's snapshot reads every process on the machine; here
// we walk only the service's own tree through /proc/<pid>/task/<tid>/children,
// which costs a few reads per process instead of a few hundred. A child made
// by a worker thread (uvicorn's sync endpoints run in a thread pool) is listed
// under that thread, so every task is read. That walk (one read per thread)
// was most of a tick's cost, so TreeMemory keeps each tree's pids and walks
// again only every REWALK_MS or when one of them is gone: every process's
// memory is still read each interval, and a new child joins the sum within
// REWALK_MS.

const PAGE = 4096;
/** How old a tree's list of pids may get before it is walked again. */
export const REWALK_MS = 5000;
const statmBuf = Buffer.alloc(128);

/** Resident bytes from an open statm fd, read at offset 0; null when it cannot be read (the process is gone). */
function statmAt(fd: number): number | null {
  try {
    // statm: size resident shared ...; in pages. Read into one buffer: no stat, no string per call beyond the line.
    const n = readSync(fd, statmBuf, 0, statmBuf.length, 0);
    const resident = Number(statmBuf.toString('latin1', 0, n).split(' ')[1]);
    return n > 0 && Number.isFinite(resident) ? resident * PAGE : null;
  } catch {
    return null;
  }
}

/** One process's resident bytes, from statm, or null when it is gone. */
export function rss(pid: number, procRoot: string): number | null {
  let fd: number;
  try {
    fd = openSync(`${procRoot}/${pid}/statm`, 'r');
  } catch {
    return null;
  }
  try {
    return statmAt(fd);
  } finally {
    closeSync(fd);
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

/** `root` and all its descendants now, root first. */
function walk(root: number, procRoot: string): number[] {
  const seen = new Set([root]);
  const todo = children(root, procRoot);
  while (todo.length > 0) {
    const pid = todo.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    todo.push(...children(pid, procRoot));
  }
  return [...seen];
}

/** Bytes resident in `root`'s whole tree, or null when `root` is gone; walks the tree on every call. */
export function treeRss(root: number, procRoot = '/proc'): number | null {
  return rss(root, procRoot) === null ? null : sum(walk(root, procRoot), (pid) => rss(pid, procRoot), false);
}

/**
 * The sum over `pids` (root first) as `read` measures each. Null when root is gone, or,
 * if `strict`, when any is (a kept list is then walked again); else an ended child counts 0.
 */
function sum(pids: readonly number[], read: (pid: number) => number | null, strict: boolean): number | null {
  let total = 0;
  for (let i = 0; i < pids.length; i++) {
    const r = read(pids[i]!);
    if (r === null && (strict || i === 0)) return null;
    total += r ?? 0;
  }
  return total;
}

/** Reads a pid's statm through an fd kept open across calls (real /proc only: see TreeMemory). */
class KeptStatm {
  private readonly fds = new Map<number, number>();

  constructor(private readonly procRoot: string) {}

  rss(pid: number): number | null {
    let fd = this.fds.get(pid);
    if (fd === undefined) {
      try {
        fd = openSync(`${this.procRoot}/${pid}/statm`, 'r');
      } catch {
        return null;
      }
      this.fds.set(pid, fd);
    }
    // A /proc file read at offset 0 is generated afresh; once the process is gone, ESRCH.
    const r = statmAt(fd);
    if (r === null) this.drop(pid);
    return r;
  }

  /** Closes the fds of every pid not in `keep`. */
  keepOnly(keep: ReadonlySet<number>): void {
    for (const pid of [...this.fds.keys()]) if (!keep.has(pid)) this.drop(pid);
  }

  get open(): number {
    return this.fds.size;
  }

  private drop(pid: number): void {
    const fd = this.fds.get(pid);
    if (fd === undefined) return;
    this.fds.delete(pid);
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
  }
}

/**
 * treeRss with each tree's pids kept for REWALK_MS (see the top of this file).
 * On the real /proc each kept pid's statm stays open, and is read again at
 * offset 0 each interval (the kernel regenerates it; a process that ended
 * answers ESRCH, and a reused pid is a different process, so an old fd never
 * reads a new one): one read a process instead of open, read and close. A
 * fake /proc of plain files (the tests) is opened per read, since an unlinked
 * file stays readable through an open fd. Only pids of kept trees hold an fd.
 */
export class TreeMemory {
  private readonly trees = new Map<number, { readonly pids: readonly number[]; readonly at: number }>();
  private readonly kept: KeptStatm | null;
  private readonly read: (pid: number) => number | null;

  constructor(private readonly procRoot = '/proc', private readonly rewalkMs = REWALK_MS, private readonly now: () => number = monoNow, keepOpen = procRoot === '/proc') {
    this.kept = keepOpen ? new KeptStatm(procRoot) : null;
    const kept = this.kept;
    this.read = kept ? (pid) => kept.rss(pid) : (pid) => rss(pid, procRoot);
  }

  /** How many statm fds are open now (tests: every one belongs to a kept tree). */
  get openFds(): number {
    return this.kept?.open ?? 0;
  }

  /** Pids read alone through own() (a socket holder), with when: their fds are kept as long as they are read. */
  private readonly owned = new Map<number, number>();

  /** One process's own resident bytes, or null when it is gone (through the kept fd where there is one). */
  own(pid: number): number | null {
    const r = this.read(pid);
    if (r === null) this.owned.delete(pid);
    else this.owned.set(pid, this.now());
    return r;
  }

  private readonly kidLists = new Map<number, { readonly kids: readonly number[]; readonly at: number }>();

  /** A process's direct children, kept for the rewalk interval like a tree's pids; `fresh` reads them now. */
  children(pid: number, fresh = false): readonly number[] {
    const t = this.now();
    const kept = this.kidLists.get(pid);
    if (!fresh && kept && t - kept.at < this.rewalkMs) return kept.kids;
    const kids = children(pid, this.procRoot);
    this.kidLists.set(pid, { kids, at: t });
    for (const [p, e] of this.kidLists) if (t - e.at > 10 * this.rewalkMs) this.kidLists.delete(p);
    return kids;
  }

  rss(root: number): number | null {
    const t = this.now();
    const kept = this.trees.get(root);
    if (kept && t - kept.at < this.rewalkMs) {
      const total = sum(kept.pids, this.read, true);
      if (total !== null) return total;
    }
    // Walked again: stale, unknown, or a process of the kept list ended.
    const pids = this.read(root) === null ? null : walk(root, this.procRoot);
    if (pids === null) this.trees.delete(root);
    else this.trees.set(root, { pids, at: t });
    // Roots no one asked about lately (a restarted service's old pid) are dropped.
    for (const [pid, e] of this.trees) if (t - e.at > 10 * this.rewalkMs) this.trees.delete(pid);
    for (const [pid, at] of this.owned) if (t - at > 2 * this.rewalkMs) this.owned.delete(pid);
    this.kept?.keepOnly(new Set([...this.trees.values()].flatMap((e) => e.pids).concat([...this.owned.keys()])));
    return pids === null ? null : sum(pids, this.read, false);
  }
}
