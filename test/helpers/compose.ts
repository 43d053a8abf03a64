import { execa } from 'execa';
import { COMPOSE, DOCKER, type Docker } from './docker.js';

// docker-compose (Debian's 1.29) on a private dockerd, and the facts the
// Compose tests wait for: container state, health and start times, by service.

export interface Compose {
  readonly project: string;
  readonly dir: string;
  /** docker-compose -p <project> <args>, in the export's folder. */
  run(args: readonly string[], timeoutMs?: number): Promise<string>;
  /** The container id of one service, or null. */
  id(service: string): Promise<string | null>;
  inspect(service: string): Promise<Inspect>;
  /** Polls until every service is running and healthy (or has no healthcheck). */
  untilHealthy(services: readonly string[], timeoutMs: number): Promise<number>;
  until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs?: number): Promise<T>;
}

export interface Inspect {
  readonly Id: string;
  readonly State: { Status: string; Paused: boolean; Running: boolean; StartedAt: string; Pid: number; Health?: { Status: string; Log?: { Start: string; End: string; ExitCode: number }[] } };
  readonly RestartCount: number;
  readonly Image: string;
  readonly Config: { Image: string; Env: string[] };
  readonly NetworkSettings: { Ports: Record<string, { HostIp: string; HostPort: string }[] | null> };
  readonly Mounts: { Type: string; Name?: string; Destination: string }[];
}

export function compose(d: Docker, dir: string, project: string, extraEnv: NodeJS.ProcessEnv = {}): Compose {
  const env = { ...d.env, BOTSTACK_DOCKER_SOCKET: d.socket, ...extraEnv };
  const run: Compose['run'] = async (args, timeoutMs = 300_000) => {
    const r = await execa(COMPOSE, ['-p', project, ...args], { cwd: dir, env, reject: false, timeout: timeoutMs, all: true });
    if (r.exitCode !== 0) throw new Error(`docker-compose -p ${project} ${args.join(' ')} exited ${r.exitCode}:\n${r.all}`);
    return r.all ?? '';
  };
  const id = async (service: string): Promise<string | null> => (await run(['ps', '-q', service]).catch(() => '')).trim().split('\n').filter(Boolean).at(-1) ?? null;
  const inspect = async (service: string): Promise<Inspect> => {
    const cid = await id(service);
    if (cid === null) throw new Error(`no container for ${service}`);
    return (JSON.parse((await d.docker(['inspect', cid])).stdout) as Inspect[])[0]!;
  };
  const until: Compose['until'] = async (what, fn, timeoutMs, everyMs = 250) => {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const v = await fn();
        if (v !== null && v !== undefined && v !== false) return v;
      } catch (err) {
        last = err;
      }
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  };
  const untilHealthy: Compose['untilHealthy'] = async (services, timeoutMs) => {
    const t0 = Date.now();
    await until(
      `${services.join(', ')} healthy`,
      async () => {
        for (const s of services) {
          const c = await inspect(s);
          if (!c.State.Running || c.State.Paused || (c.State.Health !== undefined && c.State.Health.Status !== 'healthy')) return false;
        }
        return true;
      },
      timeoutMs,
      500,
    );
    return Date.now() - t0;
  };
  return { project, dir, run, id, inspect, untilHealthy, until };
}

/**
 * How many times `needle` occurs in the layers of `image`: docker save writes
 * each layer as an uncompressed tar, where a file's bytes are stored as they are.
 */
export async function imageCount(d: Docker, image: string, needle: string): Promise<number> {
  const r = await execa('sh', ['-c', `"$1" save "$2" | tar -xOf - --wildcards '*layer.tar' | grep -a -c -F -- "$3"`, 'sh', DOCKER, image, needle], { env: d.env, reject: false, timeout: 300_000 });
  if (r.exitCode !== 0 && r.exitCode !== 1) throw new Error(`docker save ${image} | grep: exit ${r.exitCode}: ${r.stderr}`);
  return Number(r.stdout.trim() || '0');
}
