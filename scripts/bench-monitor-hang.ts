// Hang -> healthy again, 20 trials, default timings (uvicorn: interval 1 s,
// timeout 1 s, threshold 3), on the fixture stack in a throw-away pm2. Beside
// it, detection under Kubernetes' and Docker's documented default probe
// settings, computed with the same model the monitor's own figures follow.
// Run: npm run build && npx tsx scripts/bench-monitor-hang.ts [trials]
import { pids, startBenchStack, tail, waitHealthy } from './bench-monitor-harness.js';
import { waitFor } from '../src/util/timeout.js';

const TRIALS = Number(process.argv[2] ?? 20);

async function answers200(url: string): Promise<true | undefined> {
  const r = await fetch(url, { signal: AbortSignal.timeout(300) }).catch(() => undefined);
  return r?.status === 200 ? true : undefined;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { n: s.length, min: s[0]!, median: q(0.5), p90: q(0.9), worst: s[s.length - 1]! };
};

/**
 * Hang to "unhealthy" for a prober that checks every `periodMs` (measured from
 * the end of the last check when `fromEnd`), gives up after `timeoutMs`, and
 * needs `threshold` failures; the hang falls at a uniform phase of the period.
 */
function detection(periodMs: number, timeoutMs: number, threshold: number, fromEnd: boolean) {
  const cycle = fromEnd ? periodMs + timeoutMs : Math.max(periodMs, timeoutMs);
  const samples = Array.from({ length: 1001 }, (_, i) => (i / 1000) * cycle + (threshold - 1) * cycle + timeoutMs);
  return stats(samples.map(Math.round));
}

async function main() {
  const b = await startBenchStack({
    // 20 heals in a row would (rightly) trip the heal budget; the timings stay default.
    editApps: (apps) => {
      const m = apps.find((a) => a.name === 'monitor')!;
      (m as { env: Record<string, string> }).env = { ...m.env, BOTSTACK_MONITOR_POLICY: JSON.stringify({ maxHeals: 1000, healWindowMs: 1 }) };
    },
  });
  const api = `http://127.0.0.1:${b.ports.api}`;
  const times: number[] = [];
  try {
    for (let i = 0; i < TRIALS; i++) {
      await waitHealthy(b.d, 60_000, ['mongod', 'api', 'web', 'bot']);
      const before = await pids(b.d);
      const t0 = Date.now();
      void fetch(`${api}/control/hang`, { method: 'POST', signal: AbortSignal.timeout(300) }).catch(() => undefined);
      await waitFor('api restarted', async () => ((await pids(b.d)).api?.[0] !== before.api![0] ? true : undefined), { timeoutMs: 60_000, intervalMs: 50 });
      await waitFor('api 200', () => answers200(`${api}/health`), { timeoutMs: 60_000, intervalMs: 25 });
      times.push(Date.now() - t0);
      const after = await pids(b.d);
      const others = ['mongod', 'web', 'bot'].filter((n) => after[n]?.[0] !== before[n]?.[0]);
      console.log(`trial ${i + 1}: ${times[i]} ms${others.length ? `; ALSO RESTARTED: ${others.join(', ')}` : ''}`);
      // Let a random phase between hang and probe build up across trials.
      await new Promise((r) => setTimeout(r, 1000 + ((i * 379) % 1000)));
    }
  } finally {
    if (process.env.BENCH_DEBUG) console.log(tail((await b.d.proc('monitor')).outFile, 80));
    await b.cleanup.run();
  }
  console.log('botstack hang -> healthy (ms):', JSON.stringify(stats(times)));
  console.log('botstack detection model (1 s / 1 s / 3):', JSON.stringify(detection(1000, 1000, 3, false)));
  console.log('Kubernetes defaults detection (period 10 s, timeout 1 s, threshold 3):', JSON.stringify(detection(10_000, 1000, 3, false)));
  console.log('Docker defaults detection (interval 30 s after each check, timeout 30 s, retries 3):', JSON.stringify(detection(30_000, 30_000, 3, true)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
