// Zero false heals: the fixture stack (real uvicorn api/web, mongod stand-in,
// bot) with the monitor at its DEFAULT settings, while a local load generator
// keeps the api busy, for a fixed duration. A heal or a restart here is a false
// one: nothing was wrong but the load.
//   npx tsx scripts/bench-false-heals.ts [seconds=3600] [concurrency=8] [rate=200 req/s]
// Traffic goes only to 127.0.0.1, is bounded in time, and stops by itself.
import http from 'node:http';
import { health, startBenchStack } from './bench-monitor-harness.js';

const seconds = Number(process.argv[2] ?? 3600);
const concurrency = Number(process.argv[3] ?? 8);
const rate = Number(process.argv[4] ?? 200);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

const s = await startBenchStack();
const until = Date.now() + seconds * 1000;
const counts = { requests: 0, failed: 0 };
// Paced, so the load is steady and leaves the machine's other core free.
const worker = async (port: number, path: string) => {
  const gapMs = (1000 * concurrency) / rate;
  for (let next = Date.now(); Date.now() < until; next += gapMs) {
    if (next > Date.now()) await new Promise((r) => setTimeout(r, next - Date.now()));
    const code = await get(port, path);
    counts.requests += 1;
    if (code !== 200) counts.failed += 1;
  }
};
const progress = setInterval(async () => {
  const r = await health(s.d);
  const heals = r ? Object.values(r.services).reduce((a, v) => a + v.heals, 0) : '?';
  process.stderr.write(`${new Date().toISOString()} requests=${counts.requests} non-200=${counts.failed} heals=${heals}\n`);
}, 60_000);
try {
  const before = await s.d.client.list();
  await Promise.all(Array.from({ length: concurrency }, (_, i) => (i % 4 === 3 ? worker(s.ports.web, '/api/health') : worker(s.ports.api, '/health'))));
  const report = await health(s.d);
  const after = await s.d.client.list();
  const restarts = Object.fromEntries(after.map((p) => [p.name, p.restarts - (before.find((b) => b.name === p.name)?.restarts ?? 0)]));
  const heals = Object.fromEntries(Object.entries(report?.services ?? {}).map(([n, v]) => [n, v.heals]));
  const result = { seconds, concurrency, rate, requests: counts.requests, reqPerSec: Math.round(counts.requests / seconds), non200: counts.failed, heals, restarts, states: Object.fromEntries(Object.entries(report?.services ?? {}).map(([n, v]) => [n, v.state])) };
  console.log(JSON.stringify(result));
  const falseHeals = Object.values(heals).reduce((a, b) => a + b, 0) + Object.values(restarts).reduce((a, b) => a + b, 0);
  process.exitCode = falseHeals === 0 ? 0 : 1;
} finally {
  clearInterval(progress);
  agent.destroy();
  await s.cleanup.run();
  // pm2's client keeps its sockets; the figures are out.
  process.exit();
}
