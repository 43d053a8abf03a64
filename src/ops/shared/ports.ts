import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { cmdline } from '../../util/proctree.js';

// Who holds a TCP port, found the way lsof finds it: the listening socket's
// inode in /proc/net/tcp{,6}, then the process with an fd on socket:[inode].

export interface PortHolder {
  /** 0 when the socket's owner cannot be seen (another user's process). */
  readonly pid: number;
  readonly command: string | null;
}

const LISTEN = '0A';

/** Inodes of sockets listening on `port`, from /proc/net/tcp and tcp6. */
export function listeningInodes(port: number, procRoot = '/proc'): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes: string[] = [];
  for (const table of ['tcp', 'tcp6']) {
    let text = '';
    try {
      text = readFileSync(`${procRoot}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      const local = f[1];
      if (!local || f[3] !== LISTEN || local.slice(local.lastIndexOf(':') + 1) !== hexPort) continue;
      if (f[9] && f[9] !== '0') inodes.push(f[9]);
    }
  }
  return inodes;
}

/** The pid whose fd table holds one of `inodes`, or 0 if none is visible. */
export function pidOwning(inodes: readonly string[], procRoot = '/proc'): number {
  const wanted = new Set(inodes.map((i) => `socket:[${i}]`));
  for (const name of readdirSync(procRoot)) {
    if (!/^\d+$/.test(name)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`${procRoot}/${name}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (wanted.has(readlinkSync(`${procRoot}/${name}/fd/${fd}`))) return Number(name);
      } catch {
        /* fd closed meanwhile */
      }
    }
  }
  return 0;
}

export function portHolder(port: number, procRoot = '/proc'): PortHolder | null {
  const inodes = listeningInodes(port, procRoot);
  if (inodes.length === 0) return null;
  const pid = pidOwning(inodes, procRoot);
  return { pid, command: pid > 0 ? cmdline(pid, procRoot) : null };
}

/** Whether `host:port` can be bound right now: the kernel's own answer. */
export function canBind(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** The kernel's range of local ports for outgoing connections, e.g. [32768, 60999]. */
export function ephemeralRange(procRoot = '/proc'): [number, number] | null {
  try {
    const [lo, hi] = readFileSync(`${procRoot}/sys/net/ipv4/ip_local_port_range`, 'utf8').trim().split(/\s+/).map(Number);
    return lo !== undefined && hi !== undefined && Number.isInteger(lo) && Number.isInteger(hi) ? [lo, hi] : null;
  } catch {
    return null;
  }
}

/**
 * Why `service` cannot bind `port`, with the fix. With no listener to name,
 * a port inside the ephemeral range is most likely the local end of some
 * outgoing connection, which comes and goes: the fix is a port outside it.
 */
export function portProblem(service: string, port: number, procRoot = '/proc'): string {
  const h = portHolder(port, procRoot);
  const range = h ? null : ephemeralRange(procRoot);
  if (range && port >= range[0] && port <= range[1]) {
    return `port ${port} is in use, by no listening process: it is in the kernel's range for outgoing connections (${range[0]}-${range[1]}), so any client socket may hold it for a while; change ${service}.port to one outside that range`;
  }
  return `${describeHolder(port, h)}; stop it or change ${service}.port`;
}

/** "pid 4121 (python3 -m uvicorn api_v2.app:app)", or what can be said without a pid. */
export function describeHolder(port: number, h: PortHolder | null): string {
  if (!h) return `port ${port} is already in use`;
  if (h.pid === 0) return `port ${port} is already in use by a process botstack cannot see (another user's; try: sudo lsof -i :${port})`;
  return `port ${port} is already in use by pid ${h.pid}${h.command ? ` (${h.command})` : ''}`;
}
