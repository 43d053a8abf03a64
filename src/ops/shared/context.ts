import { resolve } from 'node:path';
import { CliError, EXIT, type CliIO } from '../../util/io.js';
import type { Pm2Client } from '../../pm2/client.js';
import type { DaemonLink } from '../../pm2/daemon-link.js';
import type { Stack } from '../../stack/types.js';

// What every operator command does first: load the one stack file and reach the
// one pm2 daemon PM2_HOME names. Failures become CliErrors with exit code 2.

export const DEFAULT_CONFIG = './ecosystem.config.ts';

export async function loadConfig(io: CliIO, config: string = DEFAULT_CONFIG): Promise<Stack> {
  // The cached loader: the same answer as loadStack, without esbuild, zod and the rules when nothing changed.
  const { loadStackCached } = await import('../../rules/stack-cached.js');
  const r = await loadStackCached(resolve(io.cwd, config), { env: io.env });
  if (r.ok) return r.stack;
  const { formatProblem } = await import('../../stack/problems.js');
  const n = r.problems.length;
  throw new CliError(`the stack file does not load (${n} problem${n === 1 ? '' : 's'}):\n${r.problems.map(formatProblem).join('\n')}`, EXIT.USAGE);
}

/** The daemon PM2_HOME names. Read commands pass spawn=false: they must not start one. */
export async function connectPm2(io: CliIO, spawn: boolean): Promise<Pm2Client> {
  const { Pm2Client, pm2Home } = await import('../../pm2/client.js');
  const home = pm2Home(io.env);
  return Pm2Client.connect({ home, spawnDaemon: spawn, timeoutMs: 10_000 }).catch((err: unknown) => unreachable(err, home));
}

/**
 * The daemon over its sockets (pm2/daemon-link.ts), for commands that only
 * read: pm2's own client is ~300 ms of module loading, more than the whole
 * `pm2 jlist`. Never spawns a daemon; same errors as connectPm2(io, false).
 */
export async function connectLink(io: CliIO): Promise<DaemonLink> {
  const [{ pm2Home }, { DaemonLink }] = await Promise.all([import('../../pm2/client.js'), import('../../pm2/daemon-link.js')]);
  const home = pm2Home(io.env);
  return DaemonLink.connect({ home, timeoutMs: 10_000 }).catch((err: unknown) => unreachable(err, home));
}

function unreachable(err: unknown, home: string): never {
  if ((err as { code?: string }).code === 'PM2_UNREACHABLE') {
    throw new CliError(`pm2 is not running (PM2_HOME=${home}); start the stack with: botstack start`, EXIT.USAGE);
  }
  throw new CliError(`cannot reach pm2 (PM2_HOME=${home}): ${err instanceof Error ? err.message : String(err)}`, EXIT.USAGE);
}

/** Runs `fn` with a connected client and always disconnects, so the CLI can exit. */
export async function withPm2<T>(io: CliIO, spawn: boolean, fn: (client: Pm2Client) => Promise<T>): Promise<T> {
  const client = await connectPm2(io, spawn);
  try {
    return await fn(client);
  } finally {
    await client.disconnect();
  }
}

/** withPm2 for a read-only command, over the daemon link. */
export async function withLink<T>(io: CliIO, fn: (link: DaemonLink) => Promise<T>): Promise<T> {
  const link = await connectLink(io);
  try {
    return await fn(link);
  } finally {
    await link.disconnect();
  }
}
