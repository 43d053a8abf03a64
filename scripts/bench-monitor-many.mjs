// The monitor runtime (dist/) probing N HTTP targets at the default 1 s
// interval, with a pm2 stand-in that reports every target online (this
// measures probing, state and @pm2/io cost; pm2's list is not the bottleneck).
// Prints its probe count once a second. Spawned by bench-monitor-cost.ts.
import { Monitor } from '../dist/src/monitor/monitor.js';
import { realClock } from '../dist/src/monitor/clock.js';
import { DEFAULT_POLICY } from '../dist/src/monitor/policy.js';
import { pm2IoSink } from '../dist/src/monitor/pm2io.js';
import { TreeMemory } from '../dist/src/monitor/tree-memory.js';
import { probeFor } from '../dist/src/probes/index.js';

const ports = JSON.parse(process.argv[2]);
const timing = { intervalMs: 1000, timeoutMs: 1000, failureThreshold: 3, startGraceMs: 30_000 };
const services = ports.map((port, i) => ({
  name: `t${i}`, kind: 'uvicorn', cwd: '/', host: '127.0.0.1', port, env: {}, secrets: [], dependsOn: [],
  health: { type: 'http', path: '/health', expectStatus: 200, ...timing }, memoryBytes: null, stopTimeoutMs: 1000,
}));
const stack = { name: 'bench', profile: 'production', services };
let probes = 0;
const probeMap = new Map(services.map((s) => {
  const p = probeFor(s, { monitor: true }).probe;
  return [s.name, (signal) => (probes++, p(signal))];
}));
const procs = services.map((s, i) => ({ name: s.name, pmId: i, pid: process.pid, status: 'online', startedAt: Date.now() - 3_600_000, restarts: 0 }));
const pm2 = {
  list: async () => procs,
  bus: async () => ({ onProcessEvent: () => () => {}, onRaw: () => () => {}, close: () => {} }),
  restart: async () => {}, stop: async () => {}, signalId: async () => {},
};
const trees = new TreeMemory();
const monitor = new Monitor({ stack, probes: probeMap, pm2, sink: pm2IoSink(), clock: realClock, policy: DEFAULT_POLICY, treeRss: (pid) => trees.rss(pid), isAlive: () => true, log: () => {} });
await monitor.start();
setInterval(() => process.stdout.write(`${probes}\n`), 1000);
