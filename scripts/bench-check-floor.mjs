// `botstack check` on one shell script against `node -e 0` (the floor: a bare
// node start), alternated in one run: A B, B A, ... Wall time from spawn to
// exit of a fresh process each (the compiled CLI, as an operator runs it), and
// the child's user+sys CPU (a --require'd preload prints it at exit). The
// per-pair ratio's median is the figure; the target is check <= 0.25 s a file.
// Build first: npx tsc -p tsconfig.build.json.   Run: node scripts/bench-check-floor.mjs [pairs=9]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SCRIPT = join(ROOT, 'test/fixtures/check/real-shaped/start_services.sh');
const PAIRS = Number(process.argv[2] ?? 9);
const PRELOAD = join(mkdtempSync(join(tmpdir(), 'botstack-bench-floor-')), 'cpu.cjs');
writeFileSync(PRELOAD, "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write(`\\nBENCH_CPU ${(u.user + u.system) / 1000}\\n`); });\n");

const arms = [
  ['botstack check start_services.sh', [join(ROOT, 'bin/botstack.js'), 'check', SCRIPT]],
  ['node -e 0', ['-e', '0']],
];

function time(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', PRELOAD, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status === null || r.status > 2) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return { ms, cpu: Number(/BENCH_CPU ([\d.]+)/.exec(String(r.stderr))?.[1]) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [, args] of arms) time(args); // page cache
const runs = arms.map(() => []);
const loads = [];
for (let i = 0; i < PAIRS; i++) {
  for (const k of i % 2 === 0 ? [0, 1] : [1, 0]) runs[k].push(time(arms[k][1]));
  loads.push(loadavg()[0]);
}
console.log(`${PAIRS} alternated pairs; load average (1 min) ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}`);
for (const [k, [label]] of arms.entries()) {
  console.log(`${label.padEnd(34)} wall median ${median(runs[k].map((r) => r.ms)).toFixed(0)} ms, CPU median ${median(runs[k].map((r) => r.cpu)).toFixed(0)} ms`);
}
console.log(`check / node -e 0, median of per-pair ratios: wall ${median(runs[0].map((r, i) => r.ms / runs[1][i].ms)).toFixed(2)}, CPU ${median(runs[0].map((r, i) => r.cpu / runs[1][i].cpu)).toFixed(2)}`);
