import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { renderLogrotate, type LogrotateInput } from '../../src/ops/logrotate/config.js';
import { pm2Install } from '../../src/ops/startup/unit.js';
import type { Pm2App } from '../../src/stack/compile.js';
import { waitFor } from '../../src/util/timeout.js';
import type { Cleanup } from './cleanup.js';
import type { TestDaemon } from './pm2.js';
import { REPO } from './project.js';

// A service under pm2 that writes numbered lines while real logrotate rotates
// its log; then every number is counted across the rotated (decompressed) and
// current files. Shared by the rotation tests (one pm2 daemon per test file).

const FIXTURE = join(REPO, 'test/fixtures/logrotate/numbered-lines.mjs');
export const ROTATIONS = 20;
export const RATE = 1000;

export interface Tally {
  last: number; missing: number[]; repeated: number[]; files: number; ranges: string[];
  /** What the daemon still holds open in the log folder at the end (readlink of /proc/<pid>/fd). */
  open: string[];
}

/** The daemon's open fds into a folder: a reopen that never closes the old file shows here. */
function openIn(home: string, dir: string): string[] {
  const pid = Number(readFileSync(join(home, 'pm2.pid'), 'utf8'));
  const fds = readdirSync(`/proc/${pid}/fd`);
  const out: string[] = [];
  for (const fd of fds) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (target.startsWith(dir + '/')) out.push(target.slice(dir.length + 1));
    } catch { /* closed meanwhile */ }
  }
  return out.sort();
}

/** A log file's text, gunzipped when rotation compressed it. */
const readLog = (dir: string, f: string) => (f.endsWith('.gz') ? gunzipSync(readFileSync(join(dir, f))).toString('utf8') : readFileSync(join(dir, f), 'utf8'));

function readAll(dir: string, base: string): string {
  return readdirSync(dir).filter((f) => f.startsWith(base)).map((f) => readLog(dir, f)).join('');
}

function tally(dir: string, base: string): Omit<Tally, 'open'> {
  const text = readAll(dir, base);
  const end = /^END (\d+)$/m.exec(text);
  if (!end) throw new Error(`no END line in ${dir}/${base}*`);
  const last = Number(end[1]);
  const seen = new Uint32Array(last + 1);
  for (const line of text.split('\n')) if (/^\d+$/.test(line)) seen[Number(line)]!++;
  const missing: number[] = [];
  const repeated: number[] = [];
  for (let n = 1; n <= last; n++) {
    if (seen[n] === 0) missing.push(n);
    else if (seen[n]! > 1) repeated.push(n);
  }
  // Each file's first and last number, in rotation order: where a loss sits tells its cause.
  const ranges = readdirSync(dir).filter((f) => f.startsWith(base)).map((f) => {
    const nums = readLog(dir, f).split('\n').filter((l) => /^\d+$/.test(l)).map(Number);
    return { f, first: nums[0] ?? 0, last: nums.at(-1) ?? 0 };
  }).sort((a, b) => a.first - b.first).map((r) => `${r.f}: ${r.first}..${r.last}`);
  return { last, missing, repeated, files: readdirSync(dir).filter((f) => f.startsWith(base)).length, ranges };
}

function groupName(): string {
  const gid = String(userInfo().gid);
  const row = readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.split(':')[2] === gid);
  return row?.split(':')[0] ?? userInfo().username;
}

export async function rotateWhileWriting(cleanup: Cleanup, daemon: TestDaemon, name: string, config: (i: LogrotateInput) => string, rate = RATE, rotations = ROTATIONS, width = 0): Promise<Tally> {
  const logDir = mkdtempSync(join(tmpdir(), `botstack-rot-${name}-`));
  const work = mkdtempSync(join(tmpdir(), 'botstack-rot-work-'));
  const stop = join(work, 'stop');
  const out = join(logDir, `${name}.out.log`);
  const app = {
    name, namespace: 'rot', script: FIXTURE, interpreter: process.execPath, args: [String(rate), stop, String(width)], cwd: REPO,
    exec_mode: 'fork', instances: 1, watch: false, autorestart: true, max_restarts: 16, min_uptime: 1000, exp_backoff_restart_delay: 100,
    kill_timeout: 5000, treekill: true, out_file: out, error_file: join(logDir, `${name}.err.log`), merge_logs: true, log_date_format: '', env: {},
  } as unknown as Pm2App;
  await daemon.client.start([app]);
  cleanup.add(() => daemon.client.delete(name).catch(() => undefined));
  const conf = join(work, 'botstack.logrotate');
  const pm2 = pm2Install();
  writeFileSync(conf, config({ stack: 'rot', files: [out], maxSizeBytes: 50 * 2 ** 20, keep: 100, maxAgeDays: 14, compress: true, user: userInfo().username, group: groupName(), pm2Home: daemon.home, nodeBin: process.execPath, pm2Bin: pm2.bin }));
  // logrotate runs with a PM2_HOME that is wrong on purpose: the config must pin the right one.
  const wrongHome = mkdtempSync(join(tmpdir(), 'botstack-wrong-pm2-home-'));
  // Were the pin missing, pm2 would start a daemon there: kill it by its pid file.
  cleanup.add(() => {
    const pid = existsSync(join(wrongHome, 'pm2.pid')) ? Number(readFileSync(join(wrongHome, 'pm2.pid'), 'utf8')) : 0;
    if (pid > 0) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  });
  const { PM2_PROGRAMMATIC: _p, PM2_SILENT: _s, ...parent } = process.env;
  const env = { ...parent, PM2_HOME: wrongHome };
  for (let i = 0; i < rotations; i++) {
    // A fact, not a pause: the current file holds at least 200 new lines.
    await waitFor(`${out} has lines before rotation ${i + 1}`, () => (existsSync(out) && readFileSync(out).length > 200 * (Math.max(width, 4) + 1) ? true : undefined), { timeoutMs: 30_000, intervalMs: 20 });
    const r = spawnSync('logrotate', ['-f', '-s', join(work, 'state'), conf], { env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, `logrotate run ${i + 1}: ${r.stderr}`).toBe(0);
  }
  expect(existsSync(join(wrongHome, 'rpc.sock'))).toBe(false);
  writeFileSync(stop, '');
  await waitFor(`END line from ${name}`, () => (/^END \d+$/m.test(readAll(logDir, `${name}.out.log`)) ? true : undefined), { timeoutMs: 30_000, intervalMs: 50 });
  return { ...tally(logDir, `${name}.out.log`), open: openIn(daemon.home, logDir) };
}

