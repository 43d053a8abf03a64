import { readdirSync, readFileSync } from 'node:fs';

// Process trees from /proc. pm2 measures only an app's main process; uvicorn's
// workers and a bot's helpers are children, so memory limits must sum the tree.

export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** user + system CPU time, in clock ticks. */
  readonly cpuTicks: number;
  readonly rssBytes: number;
}

const PAGE = 4096;

/** One /proc/<pid>/stat, or null if the process is gone. */
export function readStat(pid: number, procRoot = '/proc'): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // comm may hold spaces and parens; fields after the last ')' are fixed.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const num = (i: number) => Number(rest[i] ?? 0);
  return { pid, ppid: num(1), cpuTicks: num(11) + num(12), rssBytes: num(21) * PAGE };
}

/** Every process on the machine, by pid. */
export function snapshot(procRoot = '/proc'): Map<number, ProcStat> {
  const out = new Map<number, ProcStat>();
  for (const name of readdirSync(procRoot)) {
    if (!/^\d+$/.test(name)) continue;
    const st = readStat(Number(name), procRoot);
    if (st) out.set(st.pid, st);
  }
  return out;
}

/** `root` and all its descendants, from one snapshot. */
export function treeOf(root: number, snap: Map<number, ProcStat>): ProcStat[] {
  const children = new Map<number, number[]>();
  for (const st of snap.values()) {
    const list = children.get(st.ppid) ?? [];
    list.push(st.pid);
    children.set(st.ppid, list);
  }
  const out: ProcStat[] = [];
  const todo = [root];
  while (todo.length > 0) {
    const pid = todo.pop()!;
    const st = snap.get(pid);
    if (!st) continue;
    out.push(st);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

export interface TreeUsage {
  readonly pids: readonly number[];
  readonly rssBytes: number;
  readonly cpuTicks: number;
}

export function treeUsage(root: number, snap: Map<number, ProcStat> = snapshot()): TreeUsage {
  const tree = treeOf(root, snap);
  return {
    pids: tree.map((t) => t.pid),
    rssBytes: tree.reduce((a, t) => a + t.rssBytes, 0),
    cpuTicks: tree.reduce((a, t) => a + t.cpuTicks, 0),
  };
}

/** The command line of a process, as `ps` shows it, or null. */
export function cmdline(pid: number, procRoot = '/proc'): string | null {
  try {
    return readFileSync(`${procRoot}/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ') || null;
  } catch {
    return null;
  }
}

/** Whether a process exists (kill -0); EPERM means it exists under another user. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, owned by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
