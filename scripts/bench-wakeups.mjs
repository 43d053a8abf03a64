// What one wake-up of an idle node process costs on this machine, and what
// batching work into fewer wake-ups saves: the measurement behind the
// monitor's shared tick grid (src/util/grid.ts, src/monitor/scheduler.ts).
// Each run is a child process with the monitor's node flags that wakes `hz`
// times a second and does nothing (or fires `batch` empty timers per wake-up),
// for 15 s after 3 s of warm-up; CPU is user+sys from process.cpuUsage().
// Run: node scripts/bench-wakeups.mjs
import { execFileSync } from 'node:child_process';

const CHILD = `
const [hz, batch] = process.argv.slice(1).map(Number);
const tick = () => { for (let i = 0; i < batch; i++) setTimeout(() => {}, 0); setTimeout(tick, 1000 / hz); };
tick();
setTimeout(() => {
  const t = process.cpuUsage(); const t0 = performance.now();
  setTimeout(() => {
    const d = process.cpuUsage(t); const s = (performance.now() - t0) / 1000;
    console.log(JSON.stringify({ cpuPct: (d.user + d.system) / 1e4 / s, usPerWake: (d.user + d.system) / s / hz }));
    process.exit(0);
  }, 15000);
}, 3000);
`;

const runs = [[1, 1], [4, 1], [16, 1], [64, 1], [4, 16]];
console.log('wake-ups/s | timers per wake-up | CPU % of one core | CPU µs per wake-up');
for (const [hz, batch] of runs) {
  const out = execFileSync(process.execPath, ['--lite-mode', '--max-semi-space-size=1', '-e', CHILD, String(hz), String(batch)], { stdio: ['ignore', 'pipe', 'ignore'] });
  const r = JSON.parse(out.toString());
  console.log(`${String(hz).padStart(10)} | ${String(batch).padStart(18)} | ${r.cpuPct.toFixed(3).padStart(17)} | ${r.usPerWake.toFixed(0).padStart(18)}`);
}
