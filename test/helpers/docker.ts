import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { Cleanup } from './cleanup.js';

// A private Docker for a test file: its own dockerd on its own socket, data
// root, exec root and pidfile under a temp dir, no default bridge and its own
// address pool, so it never disturbs (or is disturbed by) another dockerd on the
// machine. Stopped by its pid in the same breath as it is started.
//
// Where Docker cannot run (not root, no docker.io), the tests skip and say why;
// in CI (CI=true, as root) Docker can run, so there a Docker that will not
// start fails the test instead of skipping it.

export const DOCKER = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
export const COMPOSE = 'docker-compose';
const MUST_RUN = process.env.CI === 'true' && process.getuid?.() === 0;

export interface Docker {
  /** unix:///…/docker.sock: what DOCKER_HOST is set to for every command. */
  readonly host: string;
  readonly socket: string;
  readonly env: NodeJS.ProcessEnv;
  docker(args: readonly string[], opts?: { input?: string; timeoutMs?: number; reject?: boolean }): Promise<{ stdout: string; stderr: string; exitCode: number }>;
}

/** Why Docker cannot run here, or null. */
export async function dockerUnavailable(): Promise<string | null> {
  if (process.platform !== 'linux') return 'Docker tests need Linux';
  if (process.getuid?.() !== 0) return 'Docker tests need root (a private dockerd); run as root, or in CI';
  for (const bin of ['dockerd', COMPOSE, 'debootstrap']) {
    const r = await execa('sh', ['-c', `command -v ${bin}`], { reject: false });
    if (r.exitCode !== 0) return `${bin} is missing: apt-get install -y docker.io docker-compose debootstrap (scripts/test-deps.txt; .ci/run installs them)`;
  }
  // Installed is not enough (an unprivileged container, no overlay, no cgroups): start one and stop it.
  const probe = new Cleanup();
  try {
    await startDockerd(probe, 15_000);
    return null;
  } catch (err) {
    return `a private dockerd would not start here: ${(err as Error).message.slice(0, 600)}`;
  } finally {
    await probe.run().catch(() => undefined);
  }
}

/** The reason to skip, or null to run; throws in CI, where Docker must run. */
export async function dockerSkipReason(): Promise<string | null> {
  const why = await dockerUnavailable();
  if (why !== null && MUST_RUN) throw new Error(`CI=true as root, so the Docker tests must run, but: ${why}`);
  if (why !== null) process.stderr.write(`docker tests skipped: ${why}\n`);
  return why;
}

/** A /16 from 10.128-10.191, by pid: two test runs on one machine get different subnets. */
const pool = (): string => `base=10.${128 + (process.pid % 64)}.0.0/16,size=24`;

export async function startDockerd(cleanup: Cleanup, timeoutMs = 30_000): Promise<Docker> {
  // Short path: containerd's sockets live under the exec root, and a unix socket path has 108 bytes.
  const dir = mkdtempSync('/tmp/bsd-');
  const socket = join(dir, 'docker.sock');
  const host = `unix://${socket}`;
  const args = ['--host', host, '--data-root', join(dir, 'data'), '--exec-root', join(dir, 'x'), '--pidfile', join(dir, 'docker.pid'), '--bridge', 'none', '--default-address-pool', pool(), '--log-level', 'warn'];
  const child = spawn('dockerd', args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let log = '';
  const keep = process.env.BOTSTACK_DOCKERD_LOG;
  child.stderr.on('data', (b: Buffer) => {
    log = (log + b.toString()).slice(-4000);
    if (keep) appendFileSync(keep, b);
  });
  child.on('exit', (code, signal) => {
    if (!stopped) process.stderr.write(`private dockerd (pid ${child.pid}) exited by itself: code ${code}, signal ${signal}\n${log}\n`);
  });
  const pid = child.pid;
  let stopped = false;
  cleanup.add(() => ((stopped = true), stopDockerd(pid, dir)));
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: host, DOCKER_BUILDKIT: '0', COMPOSE_DOCKER_CLI_BUILD: '0' };
  const docker: Docker['docker'] = async (a, o = {}) => {
    const r = await execa(DOCKER, [...a], { env, reject: false, timeout: o.timeoutMs ?? 120_000, ...(o.input !== undefined ? { input: o.input } : {}) });
    if (o.reject !== false && r.exitCode !== 0) throw new Error(`docker ${a.join(' ')} exited ${r.exitCode}: ${r.stderr || r.stdout}`);
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? -1 };
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await execa(DOCKER, ['version', '--format', '{{.Server.Version}}'], { env, reject: false, timeout: 5000 });
    if (r.exitCode === 0) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`private dockerd did not answer on ${socket} within ${timeoutMs} ms (exit ${child.exitCode}): ${log}`);
    await new Promise((r2) => setTimeout(r2, 200));
  }
  return { host, socket, env, docker };
}

/** SIGTERM by pid (dockerd stops its containers and its containerd), SIGKILL after 20 s; then the temp dir. */
async function stopDockerd(pid: number | undefined, dir: string): Promise<void> {
  if (pid !== undefined) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const until = Date.now() + 20_000;
    while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  // Overlay mounts under the data root are gone with dockerd; anything left is unmounted lazily first.
  await execa('sh', ['-c', `grep -o " ${dir}[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l`], { reject: false });
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie (exited, not yet reaped by us) counts as gone.
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
