import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/util/timeout.js';
import { Cleanup } from '../helpers/cleanup.js';
import { freePorts } from '../helpers/ports.js';
import { installPacked, pm2HomeFor, sh, userProject, type Installed, type UserPorts, type UserProject } from '../helpers/user-install.js';

// botstack as a user meets it: the npm pack tarball installed globally into a
// temp prefix, then run in a folder shaped like the incident's project (its
// own start_all_services.sh, a venv, a .env; no node_modules, never heard of
// botstack): init --from, check, start; a SIGSTOPped web is healed on its HTTP
// route with nothing else restarted; stop, then plain `pm2 start
// ecosystem.config.js` with the same validation; pm2 save/resurrect brings it
// back. Control: the same project with web on TCP health is not healed.
//
// Assertions marked [init: part B] need init to understand the script's
// idioms (BASH_SOURCE, venv detection) and to read health routes from the app
// code (issue 15 part B, branch i15b-init).

/** The same bound for the heal and for the control's "not healed". Default timings heal a hang in ~8 s. */
const HEAL_DEADLINE_MS = 30_000;

interface Pm2App {
  readonly name: string;
  readonly pid: number;
  readonly restarts: number;
  readonly status: string;
}

async function jlist(inst: Installed, p: UserProject): Promise<Pm2App[]> {
  const r = await sh(inst.pm2, ['jlist'], p, 30_000);
  const raw = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as { name: string; pid: number; pm2_env: { restart_time: number; status: string } }[];
  return raw.map((a) => ({ name: a.name, pid: a.pid, restarts: a.pm2_env.restart_time, status: a.pm2_env.status }));
}

const SERVICES = ['mongod', 'api', 'web', 'bot', 'monitor'];

const allOnline = (inst: Installed, p: UserProject, what: string) =>
  waitFor(what, async () => {
    const l = await jlist(inst, p);
    return SERVICES.every((n) => l.some((a) => a.name === n && a.status === 'online' && a.pid > 0)) ? l : undefined;
  }, { timeoutMs: 90_000, intervalMs: 250 });

/**
 * The monitor itself has seen web healthy, read from its own report (`pm2
 * trigger monitor health`; status would ask web directly while the monitor has
 * no verdict yet). Until then web is within its start grace, where a hang reads
 * as a slow start.
 */
const monitorSeesWebHealthy = (inst: Installed, p: UserProject) =>
  waitFor('the monitor reports web healthy', async () => {
    const r = await sh(inst.pm2, ['trigger', 'monitor', 'health'], p, 30_000);
    const line = r.stdout.split('\n').find((l) => /^\[monitor[^=]*=/.test(l));
    const report = line ? (JSON.parse(line.slice(line.indexOf('=') + 1)) as { services?: Record<string, { state: string }> }) : undefined;
    return report?.services?.web?.state === 'healthy' ? true : undefined;
  }, { timeoutMs: 60_000, intervalMs: 500 });

/**
 * The process that serves web: a uvicorn runs under botstack's socket holder
 * (docs/zero-downtime.md), so it is the holder's child named in its state.json;
 * otherwise pm2's own process. That is what hangs, and what a heal replaces.
 */
function servingPid(p: UserProject, pm2Pid: number): number {
  const state = join(p.root, 'logs', 'sockhold', 'web', 'state.json');
  if (!existsSync(state)) return pm2Pid;
  return (JSON.parse(readFileSync(state, 'utf8')) as { child?: number }).child ?? pm2Pid;
}

async function answers200(url: string): Promise<true | undefined> {
  const r = await fetch(url, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
  return r?.status === 200 ? true : undefined;
}

/** web's health, rewritten inside its own block of the stack file. */
function setWebHealth(file: string, health: string): void {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf("name: 'web'");
  const end = text.indexOf('\n    },', start);
  const block = text.slice(start, end).replace(/^(\s*)(\/\/ )?health: \{[^\n]*$/m, `$1health: ${health},`);
  writeFileSync(file, text.slice(0, start) + block + text.slice(end));
}

describe('botstack installed once with npm i -g, in the user\'s own folder', () => {
  const cleanup = new Cleanup();
  let inst: Installed;
  beforeAll(async () => {
    inst = await installPacked();
  }, 300_000);
  afterAll(() => cleanup.run());

  async function project(): Promise<{ p: UserProject; ports: UserPorts }> {
    const [mongo, api, web] = await freePorts(3);
    const ports = { mongo: mongo!, api: api!, web: web! };
    return { p: userProject(inst, ports, pm2HomeFor(cleanup, inst)), ports };
  }

  it('botstack --version prints the package version', async () => {
    const { p } = await project();
    expect(await sh(inst.botstack, ['--version'], p)).toEqual({ code: 0, stdout: `${inst.version}\n`, stderr: '' });
  });

  it('init --from start_all_services.sh, check, start; a SIGSTOPped web is healed on /api/health, nothing else restarted; pm2 start ecosystem.config.js validates; resurrect', async () => {
    const { p, ports } = await project();
    const init = await sh(inst.botstack, ['init', '--from', 'start_all_services.sh'], p);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const stackText = readFileSync(join(p.root, 'ecosystem.config.ts'), 'utf8');
    // init writes pm2's own entry beside the typed stack, pointing at this install.
    expect(readFileSync(join(p.root, 'ecosystem.config.cjs'), 'utf8')).toContain(JSON.stringify(inst.packageDir));
    expect(existsSync(join(p.root, 'ecosystem.config.js'))).toBe(true);
    expect(stackText).toMatch(/kind: 'monitor'/);
    // [init: part B] the script's own folder and venv resolved, no shell left in the file.
    expect(stackText).not.toContain('$(');
    expect(stackText).not.toContain('BASH_SOURCE');
    // [init: part B] health routes read from api_v2/app.py and web/app.py.
    expect(stackText).toMatch(/name: 'api'[\s\S]*?health: \{ type: 'http', path: '\/health' \}/);
    expect(stackText).toMatch(/name: 'web'[\s\S]*?health: \{ type: 'http', path: '\/api\/health' \}/);

    const check = await sh(inst.botstack, ['check'], p);
    expect(check.stdout).not.toContain('cannot load');
    expect(check.stdout).toMatch(/^0 errors, /m);
    expect(check.code).toBe(0);

    const start = await sh(inst.botstack, ['start'], p);
    expect(start.code, start.stdout + start.stderr).toBe(0);
    const before = await allOnline(inst, p, 'all five online after botstack start');
    await waitFor('web answers /api/health', () => answers200(`http://127.0.0.1:${ports.web}/api/health`), { timeoutMs: 30_000, intervalMs: 200 });
    await monitorSeesWebHealthy(inst, p);

    // The incident's failure: web alive, holding its port, answering nothing.
    const web = before.find((a) => a.name === 'web')!;
    const hung = servingPid(p, web.pid);
    process.kill(hung, 'SIGSTOP');
    const healed = await waitFor('web replaced by the monitor', async () => {
      const l = await jlist(inst, p);
      const w = l.find((a) => a.name === 'web');
      return w && w.status === 'online' && servingPid(p, w.pid) !== hung ? l : undefined;
    }, { timeoutMs: HEAL_DEADLINE_MS, intervalMs: 250 }).catch(async (err: Error) => {
      const log = readFileSync(join(p.root, 'logs', 'monitor.out.log'), 'utf8').split('\n').slice(-15).join('\n');
      throw new Error(`${err.message}\npm2: ${JSON.stringify(await jlist(inst, p))}\nmonitor log:\n${log}`);
    });
    await waitFor('web answers again', () => answers200(`http://127.0.0.1:${ports.web}/api/health`), { timeoutMs: 30_000, intervalMs: 200 });
    for (const n of ['mongod', 'api', 'bot', 'monitor']) {
      const [b, a] = [before, healed].map((l) => l.find((x) => x.name === n));
      expect([n, a?.pid, a?.restarts]).toEqual([n, b?.pid, b?.restarts]);
    }
    const monitorLog = readFileSync(join(p.root, 'logs', 'monitor.out.log'), 'utf8');
    expect(monitorLog).toMatch(/web/);

    // Stopped, then started the way pm2 users start a folder: plain pm2 on its default file.
    expect((await sh(inst.botstack, ['stop'], p)).code).toBe(0);
    expect((await sh(inst.pm2, ['delete', 'all'], p)).code).toBe(0);
    // A bad stack: pm2 starts nothing and every problem is printed.
    writeFileSync(join(p.root, 'ecosystem.config.ts'), stackText.replace(`port: ${ports.web},`, `port: 'x', wach: true,`));
    const bad = await sh(inst.pm2, ['start', 'ecosystem.config.js'], p);
    expect(bad.stderr + bad.stdout).toContain('nothing was started');
    expect(bad.stderr + bad.stdout).toMatch(/services\.2\.port/);
    expect(bad.stderr + bad.stdout).toMatch(/wach/);
    expect(await jlist(inst, p)).toEqual([]);
    writeFileSync(join(p.root, 'ecosystem.config.ts'), stackText);
    const good = await sh(inst.pm2, ['start', 'ecosystem.config.js'], p);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    await allOnline(inst, p, 'all five online after pm2 start ecosystem.config.js');
    await waitFor('web answers after pm2 start', () => answers200(`http://127.0.0.1:${ports.web}/api/health`), { timeoutMs: 30_000, intervalMs: 200 });

    // What `botstack startup` relies on at boot: pm2 save, then resurrect, with paths that still resolve.
    expect((await sh(inst.pm2, ['save'], p)).code).toBe(0);
    const dump = JSON.parse(readFileSync(join(p.env.PM2_HOME!, 'dump.pm2'), 'utf8')) as { name: string; pm_exec_path: string; pm_cwd: string }[];
    expect(dump.map((a) => a.name).sort()).toEqual([...SERVICES].sort());
    for (const a of dump) expect([a.name, existsSync(a.pm_exec_path), existsSync(a.pm_cwd)]).toEqual([a.name, true, true]);
    expect(dump.find((a) => a.name === 'monitor')!.pm_exec_path).toBe(join(inst.packageDir, 'dist', 'src', 'monitor', 'main.js'));
    expect((await sh(inst.pm2, ['kill'], p)).code).toBe(0);
    expect((await sh(inst.pm2, ['resurrect'], p)).code).toBe(0);
    await allOnline(inst, p, 'all five online after pm2 resurrect');
  }, 420_000);

  it('control: the same project with web on TCP health is not healed within the same deadline', async () => {
    const { p, ports } = await project();
    expect((await sh(inst.botstack, ['init', '--from', 'start_all_services.sh'], p)).code).toBe(0);
    setWebHealth(join(p.root, 'ecosystem.config.ts'), "{ type: 'tcp' }");
    expect(readFileSync(join(p.root, 'ecosystem.config.ts'), 'utf8')).toMatch(/name: 'web'[\s\S]*?health: \{ type: 'tcp' \},/);
    const start = await sh(inst.botstack, ['start'], p);
    expect(start.code, start.stdout + start.stderr).toBe(0);
    const before = await allOnline(inst, p, 'all five online');
    await waitFor('web answers /api/health', () => answers200(`http://127.0.0.1:${ports.web}/api/health`), { timeoutMs: 30_000, intervalMs: 200 });
    await monitorSeesWebHealthy(inst, p);
    const web = before.find((a) => a.name === 'web')!;
    const hung = servingPid(p, web.pid);
    process.kill(hung, 'SIGSTOP');
    // The kernel completes a TCP handshake for a stopped process: the probe passes, nobody heals.
    const healed = await waitFor('web replaced', async () => {
      const w = (await jlist(inst, p)).find((a) => a.name === 'web');
      return w && servingPid(p, w.pid) !== hung ? true : undefined;
    }, { timeoutMs: HEAL_DEADLINE_MS, intervalMs: 500 }).catch(() => false);
    expect(healed).toBe(false);
    expect(await answers200(`http://127.0.0.1:${ports.web}/api/health`)).toBeUndefined();
  }, 300_000);
});
