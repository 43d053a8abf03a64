import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { pidAlive } from '../../src/util/proctree.js';
import type { Cleanup } from './cleanup.js';
import { MONGOD_STANDIN, REPO, USER_PROJECT } from './project.js';
import { makeVenv } from './venv.js';

// botstack as a user gets it: the `npm pack` tarball installed globally into a
// temp prefix, and a project folder that has never heard of botstack.

const execFileP = promisify(execFile);

export interface Installed {
  readonly prefix: string;
  /** <prefix>/bin/botstack, the linked bin. */
  readonly botstack: string;
  /** The pm2 CLI that came with it (a user with pm2 installed globally has their own). */
  readonly pm2: string;
  /** The installed package folder, which init writes into the pm2 entry. */
  readonly packageDir: string;
  readonly version: string;
}

/**
 * Packs the repo (dist must be built: pretest does it; --ignore-scripts keeps
 * prepare from rebuilding dist under other tests) and installs the tarball
 * globally into a temp prefix. Dependencies come from npm's cache when it has
 * them (npm ci filled it), else from the registry.
 */
export async function installPacked(): Promise<Installed> {
  const dir = mkdtempSync(join(tmpdir(), 'botstack-global-'));
  const { stdout } = await execFileP('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: REPO, maxBuffer: 64 * 1024 * 1024 });
  const tarball = join(dir, (JSON.parse(stdout) as { filename: string }[])[0]!.filename);
  const prefix = join(dir, 'prefix');
  await execFileP('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: dir, timeout: 300_000 });
  const packageDir = join(prefix, 'lib', 'node_modules', 'botstack');
  const pm2 = [join(packageDir, 'node_modules', 'pm2', 'bin', 'pm2'), join(prefix, 'lib', 'node_modules', 'pm2', 'bin', 'pm2')].find(existsSync);
  if (!pm2) throw new Error(`no pm2 under ${packageDir}`);
  const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
  return { prefix, botstack: join(prefix, 'bin', 'botstack'), pm2, packageDir, version };
}

export interface UserPorts {
  readonly mongo: number;
  readonly api: number;
  readonly web: number;
}

/**
 * start_all_services.sh the way people write it: it finds its own folder,
 * picks the venv's python if there is one, backgrounds everything with nohup
 * and --reload, waits with sleeps, and logs to /tmp.
 */
export function startScript(p: UserPorts): string {
  return `#!/bin/bash
# Start all services for the bot. After a reboot: ./start_all_services.sh
PROJECT_DIR="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
cd "$PROJECT_DIR"

if [ -f "$PROJECT_DIR/venv/bin/python" ]; then
    PYTHON_BIN="$PROJECT_DIR/venv/bin/python"
else
    PYTHON_BIN=python3
fi

echo "Starting MongoDB..."
mkdir -p "$PROJECT_DIR/data/db"
nohup mongod --dbpath "$PROJECT_DIR/data/db" --port ${p.mongo} --bind_ip 127.0.0.1 > /tmp/mongod.log 2>&1 &
sleep 3

echo "Starting API v2..."
nohup $PYTHON_BIN -m uvicorn api_v2.app:app --host 0.0.0.0 --port ${p.api} --reload > /tmp/api_v2.log 2>&1 &
sleep 3

echo "Starting web..."
nohup $PYTHON_BIN -m uvicorn web.app:app --host 0.0.0.0 --port ${p.web} --reload > /tmp/web.log 2>&1 &
sleep 2

echo "Starting bot..."
API_V2_URL=http://127.0.0.1:${p.api} nohup $PYTHON_BIN bot/main.py > /tmp/bot.log 2>&1 &

echo "All services started. Logs: /tmp/*.log"
`;
}

export interface UserProject {
  readonly root: string;
  /** The environment the user's shell has: the installed bin and a `mongod` on PATH, a PM2_HOME of its own. */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The incident's layout (api_v2/, web/, bot/ from test/fixtures/user-project),
 * a --system-site-packages venv, a .env with the token, start_all_services.sh,
 * and `mongod` on PATH: a two-line shim over the wire-protocol stand-in.
 */
export function userProject(inst: Installed, ports: UserPorts, pm2Home: string): UserProject {
  const base = mkdtempSync(join(tmpdir(), 'botstack-user-'));
  const root = join(base, 'mybot');
  cpSync(USER_PROJECT, root, { recursive: true });
  makeVenv(join(root, 'venv'));
  writeFileSync(join(root, '.env'), 'TELEGRAM_BOT_TOKEN=123456:TEST-token-not-real\n', { mode: 0o600 });
  writeFileSync(join(root, 'start_all_services.sh'), startScript(ports), { mode: 0o755 });
  const shims = join(base, 'bin');
  mkdirSync(shims);
  writeFileSync(join(shims, 'mongod'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(MONGOD_STANDIN)} "$@"\n`);
  chmodSync(join(shims, 'mongod'), 0o755);
  const PATH = [join(inst.prefix, 'bin'), shims, dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':');
  // pm2 loaded in the test process marks its env programmatic/silent; a user's shell is not.
  const { PM2_PROGRAMMATIC: _p, PM2_SILENT: _s, BOTSTACK_ROOT: _r, ...parent } = process.env;
  return { root, env: { ...parent, PATH, PM2_HOME: pm2Home } };
}

/**
 * A PM2_HOME for one test whose daemon, started by the installed CLI, is
 * killed when the test ends: pm2 kill, then by PID the daemon and every app it
 * listed (so nothing outlives a failed kill).
 */
export function pm2HomeFor(cleanup: Cleanup, inst: Installed): string {
  const home = mkdtempSync(join(tmpdir(), 'botstack-pm2-user-'));
  cleanup.add(async () => {
    const env = { ...process.env, PM2_HOME: home };
    const pids: number[] = [];
    const jlist = await execFileP(inst.pm2, ['jlist'], { env, timeout: 30_000 }).catch(() => null);
    if (jlist && existsSync(join(home, 'pm2.pid'))) {
      try {
        for (const p of JSON.parse(jlist.stdout.slice(jlist.stdout.indexOf('['))) as { pid?: number }[]) if (p.pid) pids.push(p.pid);
      } catch {
        /* not JSON: pm2 printed an error */
      }
    }
    const daemon = existsSync(join(home, 'pm2.pid')) ? Number(readFileSync(join(home, 'pm2.pid'), 'utf8')) : 0;
    if (daemon > 0) await execFileP(inst.pm2, ['kill'], { env, timeout: 90_000 }).catch(() => undefined);
    for (const pid of [...pids, daemon]) if (pid > 0 && pidAlive(pid)) process.kill(pid, 'SIGKILL');
  });
  return home;
}

export interface Cmd {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command as the user would in their folder; never throws for an exit code. */
export async function sh(cmd: string, args: readonly string[], project: UserProject, timeoutMs = 180_000): Promise<Cmd> {
  try {
    const r = await execFileP(cmd, [...args], { cwd: project.root, env: project.env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(err) };
  }
}
