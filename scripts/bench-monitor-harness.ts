import { readFileSync } from 'node:fs';
import { Cleanup } from '../test/helpers/cleanup.js';
import { startPm2, type TestDaemon } from '../test/helpers/pm2.js';
import { makeProject } from '../test/helpers/project.js';
import { botStackInput, compileStack, mustLoad, randomPorts, type Ports } from '../test/helpers/stack.js';
import type { Pm2App } from '../src/stack/compile.js';
import type { StackInput } from '../src/stack/schema.js';
import { treeOf, snapshot } from '../src/util/proctree.js';
import type { HealthReport } from '../src/monitor/report.js';

// Shared by the monitor's benchmarks and integration tests: the fixture bot
// stack plus the monitor in a throw-away pm2 daemon (its kill registered in the
// caller's Cleanup), health polling, and a sampler of a tree's CPU and RSS.
// One per process: pm2's client is global to the process that loads it.

export interface BenchStack {
  readonly d: TestDaemon;
  readonly ports: Ports;
  readonly root: string;
  readonly cleanup: Cleanup;
}

export async function startBenchStack(opts: { cleanup?: Cleanup; edit?: (input: StackInput) => void; editApps?: (apps: Pm2App[]) => void } = {}): Promise<BenchStack> {
  const cleanup = opts.cleanup ?? new Cleanup();
  const d = await startPm2(cleanup);
  const ports = await randomPorts();
  const root = makeProject();
  const input = botStackInput(root, ports, { monitor: true });
  opts.edit?.(input);
  const apps = compileStack(mustLoad(input));
  opts.editApps?.(apps);
  await d.client.start(apps);
  await d.until('all online', (l) => l.length === apps.length && l.every((p) => p.status === 'online' && p.pid > 0), 60_000);
  await waitHealthy(d, 60_000, input.services.map((s) => s.name).filter((n) => n !== 'monitor' && n !== 'flaky'));
  return { d, ports, root, cleanup };
}

export async function health(d: TestDaemon): Promise<HealthReport | undefined> {
  const r = await d.client.trigger('monitor', 'health', undefined, 5000).catch(() => undefined);
  return r && typeof r === 'object' && 'services' in r ? (r as HealthReport) : undefined;
}

export async function waitHealthy(d: TestDaemon, timeoutMs: number, names?: readonly string[]): Promise<HealthReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await health(d);
    if (r && (names ?? Object.keys(r.services)).every((n) => r.services[n]?.state === 'healthy')) return r;
    if (Date.now() > deadline) throw new Error(`stack not healthy in ${timeoutMs} ms: ${JSON.stringify(r?.services)}`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

const TICK_HZ = 100;

export interface Usage {
  readonly cpuPercentOfOneCore: number;
  readonly rssMaxMiB: number;
  readonly rssMeanMiB: number;
  readonly seconds: number;
}

/** CPU (% of one core) and RSS of `pid`'s whole tree over `ms`, sampled once a second. */
export async function sampleTree(pid: number, ms: number): Promise<Usage> {
  const ticks = () => treeOf(pid, snapshot()).reduce((a, p) => a + p.cpuTicks, 0);
  const rss = () => treeOf(pid, snapshot()).reduce((a, p) => a + p.rssBytes, 0);
  const t0 = performance.now();
  const c0 = ticks();
  const rssSamples: number[] = [];
  while (performance.now() - t0 < ms) {
    await new Promise((res) => setTimeout(res, 1000));
    rssSamples.push(rss());
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = (ticks() - c0) / TICK_HZ / seconds;
  const mib = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
  return {
    cpuPercentOfOneCore: Math.round(cpu * 10000) / 100,
    rssMaxMiB: mib(Math.max(...rssSamples)),
    rssMeanMiB: mib(rssSamples.reduce((a, b) => a + b, 0) / rssSamples.length),
    seconds: Math.round(seconds),
  };
}

/** pm2's view: name -> [pid, restart count]. */
export async function pids(d: TestDaemon): Promise<Record<string, [number, number]>> {
  return Object.fromEntries((await d.client.list()).map((p) => [p.name, [p.pid, p.restarts]]));
}

export function tail(file: string | null, lines = 20): string {
  try {
    return file ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '';
  } catch {
    return '';
  }
}
