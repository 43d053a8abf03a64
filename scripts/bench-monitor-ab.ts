// This monitor against an older build's (by default the first round's code,
// 733d016), alternated in one run on the same machine:
// (A) the 4-service fixture stack under pm2 at default intervals: one monitor at
//     a time, as the stack's `monitor` app, started afresh for each window;
// (B) 200 HTTP targets at 1 s (each build's own scripts/bench-monitor-many.mjs:
//     the monitor runtime with a pm2 stand-in), targets served by this process.
// CPU is the monitor process's time on CPU, all threads, from /proc/<pid>/task/*/schedstat,
// as % of one core; RSS max sampled once a second. Windows go A B B A ..., so drift on a
// shared machine loads both alike; the ratio is taken per pair, then the median.
//   npx tsc -p tsconfig.build.json
//   git worktree add /tmp/botstack-733d016 733d016   (or git archive | tar -x), build it there
//   BENCH_BASE_DIR=/tmp/botstack-733d016 npx tsx scripts/bench-monitor-ab.ts [pairs=5] [seconds=30] [parts=AB]
// BENCH_NODE_ARGS="--flag ..." runs this build's monitor under those node flags instead of the stack's.
// BENCH_FLOOR=1 adds, after part A, 3 windows of scripts/bench-monitor-floor.mjs: the same
// requests from a bare loop, the I/O part of the cost that no monitor can cut.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { startBenchStack, waitHealthy, type BenchStack, type Usage } from './bench-monitor-harness.js';
import type { Ports } from '../test/helpers/stack.js';
import type { Pm2App } from '../src/stack/compile.js';
import { REPO } from '../test/helpers/project.js';

const PAIRS = Number(process.argv[2] ?? 5);
const SECONDS = Number(process.argv[3] ?? 30);
const PARTS = process.argv[4] ?? 'AB';
const BASE_DIR = process.env.BENCH_BASE_DIR ?? '/tmp/botstack-733d016';
const WARM_MS = 10_000;
const ARMS = [{ label: 'this build', dir: REPO }, { label: `base (${BASE_DIR})`, dir: BASE_DIR }];

/** CPU time of every thread of `pid`, in ns (schedstat: finer than /proc's 10 ms ticks, which a 0.2 % monitor earns 6 of in 30 s). */
function cpuNs(pid: number): number {
  return readdirSync(`/proc/${pid}/task`).reduce((a, t) => a + Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]), 0);
}
const rssKiB = (pid: number) => Number(/Rss:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);

async function sample(pid: number, ms: number): Promise<Usage> {
  const c0 = cpuNs(pid);
  const t0 = performance.now();
  const rss: number[] = [];
  while (performance.now() - t0 < ms) {
    await new Promise((r) => setTimeout(r, 1000));
    rss.push(rssKiB(pid));
  }
  const seconds = (performance.now() - t0) / 1000;
  const mib = (k: number) => Math.round((k / 1024) * 10) / 10;
  return { cpuPercentOfOneCore: Math.round(((cpuNs(pid) - c0) / 1e9 / seconds) * 10000) / 100, rssMaxMiB: mib(Math.max(...rss)), rssMeanMiB: mib(rss.reduce((a, b) => a + b, 0) / rss.length), seconds: Math.round(seconds) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs `window(arm)` PAIRS times per arm, in A B B A order; returns each arm's usages in pair order. */
async function alternate(window: (dir: string) => Promise<Usage>): Promise<Usage[][]> {
  const out: Usage[][] = ARMS.map(() => []);
  for (let i = 0; i < PAIRS; i++) {
    for (const k of i % 2 === 0 ? [0, 1] : [1, 0]) {
      const u = await window(ARMS[k]!.dir);
      out[k]!.push(u);
      console.log(`  pair ${i + 1} ${ARMS[k]!.label}: cpu ${u.cpuPercentOfOneCore}%, RSS max ${u.rssMaxMiB} MiB, load ${loadavg()[0]!.toFixed(1)}`);
    }
  }
  return out;
}

function summary(title: string, runs: Usage[][]): void {
  console.log(`\n${title}`);
  for (const [k, arm] of ARMS.entries()) {
    const cpu = runs[k]!.map((u) => u.cpuPercentOfOneCore);
    console.log(`  ${arm.label}: cpu median ${median(cpu)}% (${cpu.join(', ')}), RSS max ${Math.max(...runs[k]!.map((u) => u.rssMaxMiB))} MiB`);
  }
  const ratios = runs[0]!.map((u, i) => u.cpuPercentOfOneCore / runs[1]![i]!.cpuPercentOfOneCore);
  console.log(`  this / base, median of per-pair ratios: ${median(ratios).toFixed(2)} (${ratios.map((r) => r.toFixed(2)).join(' ')})`);
}

async function stackPart(): Promise<void> {
  let app: Pm2App | undefined;
  const b = await startBenchStack({ editApps: (apps) => void (app = apps.find((a) => a.name === 'monitor')) });
  try {
    const runs = await alternate(async (dir) => {
      await b.d.client.delete('monitor').catch(() => undefined);
      // Each build with its own app definition: this one's sets pmx=false (stack/compile.ts), the base's did not.
      const env = dir === REPO ? app!.env : Object.fromEntries(Object.entries(app!.env).filter(([k]) => k !== 'pmx'));
      // BENCH_NODE_ARGS (space-separated) runs this build under other node flags; the base keeps the stack's.
      const nodeArgs = dir === REPO && process.env.BENCH_NODE_ARGS !== undefined ? { node_args: process.env.BENCH_NODE_ARGS.split(' ').filter(Boolean) } : {};
      await b.d.client.start([{ ...app!, env, ...nodeArgs, script: join(dir, 'dist', 'src', 'monitor', 'main.js') }]);
      await waitHealthy(b.d, 30_000, ['mongod', 'api', 'web', 'bot']);
      await new Promise((r) => setTimeout(r, WARM_MS));
      return sample((await b.d.proc('monitor')).pid, SECONDS * 1000);
    });
    if (PAIRS > 0) summary(`A. 4-service stack, default intervals, ${SECONDS} s windows after ${WARM_MS / 1000} s warm-up, ${PAIRS} pairs`, runs);
    if (process.env.BENCH_FLOOR) await floor(b.d, b.ports, b.root);
  } finally {
    await b.cleanup.run();
  }
}

/** The I/O floor (scripts/bench-monitor-floor.mjs): the same requests from a bare loop, no monitor running, 3 windows. */
async function floor(d: BenchStack['d'], ports: Ports, root: string): Promise<void> {
  await d.client.delete('monitor').catch(() => undefined);
  const cfg = JSON.stringify({ http: [[ports.api, '/health'], [ports.web, '/api/health']], mongo: ports.mongo, file: join(root, 'run', 'bot.heartbeat') });
  const cpu: number[] = [];
  for (let i = 0; i < 3; i++) {
    const child = spawn(process.execPath, [join(REPO, 'scripts', 'bench-monitor-floor.mjs'), cfg], { stdio: ['ignore', 'ignore', 'inherit'] });
    try {
      await new Promise((r) => setTimeout(r, WARM_MS));
      const u = await sample(child.pid!, SECONDS * 1000);
      cpu.push(u.cpuPercentOfOneCore);
      console.log(`  floor ${i + 1}: cpu ${u.cpuPercentOfOneCore}%, RSS max ${u.rssMaxMiB} MiB, load ${loadavg()[0]!.toFixed(1)}`);
    } finally {
      child.kill('SIGKILL');
    }
  }
  console.log(`  I/O floor (the same requests from a bare loop): cpu median ${median(cpu)}% (${cpu.join(', ')})`);
}

async function manyPart(n: number): Promise<void> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<{ port: number; close: () => void }>((resolve) => {
    const srv = createServer((_q, s) => s.end('{"status":"ok"}')).listen(0, '127.0.0.1', () => resolve({ port: (srv.address() as { port: number }).port, close: () => srv.close() }));
  })));
  const ports = JSON.stringify(servers.map((s) => s.port));
  try {
    const runs = await alternate(async (dir) => {
      const child = spawn(process.execPath, [join(dir, 'scripts', 'bench-monitor-many.mjs'), ports], { stdio: ['ignore', 'ignore', 'inherit'] });
      try {
        await new Promise((r) => setTimeout(r, WARM_MS));
        return await sample(child.pid!, SECONDS * 1000);
      } finally {
        child.kill('SIGKILL');
      }
    });
    summary(`B. ${n} HTTP targets at 1 s, ${SECONDS} s windows after ${WARM_MS / 1000} s warm-up, ${PAIRS} pairs`, runs);
  } finally {
    servers.forEach((s) => s.close());
  }
}

async function main(): Promise<void> {
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  if (PARTS.includes('A')) await stackPart();
  if (PARTS.includes('B')) await manyPart(200);
  console.log(`load average at end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
