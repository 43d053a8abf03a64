// A CPU profile of the monitor in steady state on the 4-service fixture stack:
// the stack's `monitor` app restarted with `--cpu-prof`, left SECONDS after it
// is healthy, then stopped (it writes the profile on exit), and the profile
// summed by file (self time, ms per second of the profile). Optionally a second
// build's monitor (BENCH_BASE_DIR, run with its own app definition) the same way.
//   npx tsc -p tsconfig.build.json
//   npx tsx scripts/bench-monitor-profile.ts [seconds=60] [out=/tmp/botstack-monitor-prof]
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startBenchStack, waitHealthy } from './bench-monitor-harness.js';
import type { Pm2App } from '../src/stack/compile.js';
import { REPO } from '../test/helpers/project.js';

const SECONDS = Number(process.argv[2] ?? 60);
const OUT = process.argv[3] ?? '/tmp/botstack-monitor-prof';
/** Seconds of each profile left out at its start: the monitor's own start-up and first probes. */
const SKIP_S = 15;
const ARMS = [REPO, ...(process.env.BENCH_BASE_DIR ? [process.env.BENCH_BASE_DIR] : [])];

/** Self time grouped by what it is for (first match wins), by the file it is in. */
const AREAS: readonly (readonly [string, RegExp])[] = [
  ['socket and pipe writes (the syscall)', /^write(Buffer|Buffers|Utf8String|Latin1String|AsciiString|v)$/],
  ['GC', /garbage collector/],
  ['HTTP probe (node:http, http-wire/read, net, streams)', /_http_|probes\/http|node:net|streams\/|stream_base|node:buffer/],
  ['MongoDB driver + bson', /nm:mongodb|nm:bson|probes\/mongo/],
  ['tree memory (/proc)', /tree-memory|^open$|^read$|^close$|readFileUtf8|readdir|openFileHandle|node:fs/],
  ['publish (report, gauges, @pm2/io, IPC)', /report-build|surface|pm2io|nm:@pm2|child_process|serialization|node:util|JSON/],
  ['brain + scheduler + timers', /monitor\/|node:internal\/timers|node:timers|task_queues|fixed_queue|event_target|abort_controller|node:events|util\/mono/],
];

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** Self time per file (and the top functions), in ms per second of profile, after the first SKIP_S seconds (start-up). */
export function summarise(file: string): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let t = 0;
  let from = -1;
  let to = 0;
  p.samples.forEach((id, i) => {
    t += p.timeDeltas[i] ?? 0;
    if (t < SKIP_S * 1e6) return;
    if (from < 0) from = t;
    // The last 2 s hold the shutdown.
    if (t > p.endTime - p.startTime - 2e6) return;
    to = t;
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  const seconds = (to - from) / 1e6;
  const byFile = new Map<string, number>();
  const byFn = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    if (f.functionName === '(idle)' || f.functionName === '(program)') continue;
    const url = f.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, 'nm:').replace(/.*\/dist\/src\//, '').replace(/^\/tmp\/[^/]+\//, '') || f.functionName;
    byFile.set(url, (byFile.get(url) ?? 0) + us);
    byFn.set(`${f.functionName || '(anon)'} ${url}:${f.lineNumber}`, (byFn.get(`${f.functionName || '(anon)'} ${url}:${f.lineNumber}`) ?? 0) + us);
  }
  const total = [...byFile.values()].reduce((a, b) => a + b, 0);
  const byArea = new Map<string, number>();
  for (const [file, us] of byFile) {
    const area = AREAS.find(([, re]) => re.test(file))?.[0] ?? 'other';
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  }
  const ms = (us: number) => (us / 1000 / seconds).toFixed(3);
  console.log(`  ${seconds.toFixed(0)} s profiled, ${ms(total)} ms/s on the stack outside idle`);
  console.log('  by area:');
  for (const [k, v] of [...byArea].sort((a, b) => b[1] - a[1])) console.log(`    ${ms(v)} ms/s  ${k}`);
  console.log('  by file:');
  for (const [k, v] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 18)) console.log(`    ${ms(v)} ms/s  ${k}`);
  console.log('  top functions:');
  for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`    ${ms(v)} ms/s  ${k}`);
}

async function main(): Promise<void> {
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  let app: Pm2App | undefined;
  const b = await startBenchStack({ editApps: (apps) => void (app = apps.find((a) => a.name === 'monitor')) });
  try {
    for (const [k, dir] of ARMS.entries()) {
      const out = join(OUT, String(k));
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      await b.d.client.delete('monitor').catch(() => undefined);
      // A base from before pmx=false (733d016) runs without it; BENCH_BASE_PMX=1 keeps it (a base that had it).
      const env = dir === REPO || process.env.BENCH_BASE_PMX ? app!.env : Object.fromEntries(Object.entries(app!.env).filter(([key]) => key !== 'pmx'));
      await b.d.client.start([{ ...app!, env, node_args: [...(app!.node_args ?? []), '--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${out}`], script: join(dir, 'dist', 'src', 'monitor', 'main.js') }]);
      await waitHealthy(b.d, 30_000, ['mongod', 'api', 'web', 'bot']);
      await new Promise((r) => setTimeout(r, (SECONDS + SKIP_S) * 1000));
      await b.d.client.delete('monitor');
      const deadline = Date.now() + 15_000;
      while (readdirSync(out).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      console.log(`\n${dir} (load ${loadavg()[0]!.toFixed(1)})`);
      for (const f of readdirSync(out)) summarise(join(out, f));
    }
  } finally {
    await b.cleanup.run();
  }
}

if (process.env.BENCH_PROFILE_FILE) summarise(process.env.BENCH_PROFILE_FILE);
else main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
