import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Engine, socketFromEnv, type ContainerInspect } from '../../docker/engine.js';
import type { ServiceProbe } from '../../probes/index.js';
import type { Stack } from '../../stack/types.js';
import { monoNow } from '../../util/mono.js';
import { realClock } from '../clock.js';
import { fileHistoryStore } from '../history-store.js';
import { Monitor } from '../monitor.js';
import { readPolicyEnv } from '../policy-env.js';
import type { IoSink } from '../sink.js';
import { DockerDriver, PROJECT_LABEL } from './driver.js';

import { dockerProbeFor } from './probes.js';

// The monitor as a container of the exported Compose project: the same
// Monitor (brain, policy, alerts, /metrics, report) as the pm2 app, driven by
// the Docker driver instead of pm2. It reads the stack from the file the export
// put in its image, finds its own project from its own container's labels, and
// writes its report where `docker compose exec monitor cat` reads it. Any
// uncaught error exits 1, and Docker (restart: unless-stopped) restarts it.

export const STACK_FILE = '/etc/botstack/stack.json';
export const REPORT_FILE = '/tmp/botstack/report.json';

const log = (line: string): void => void process.stdout.write(`${new Date().toISOString()} ${line}\n`);
const logError = (line: string): void => void process.stderr.write(`${new Date().toISOString()} ${line}\n`);

function dieOn(what: string) {
  return (err: unknown) => {
    logError(`monitor: ${what}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  };
}

/** No pm2 here: actions and gauges go nowhere; the report goes to a file instead. */
const quietSink: IoSink = { gauge: () => ({ set: () => undefined }), action: () => undefined, actionWithParam: () => undefined, close: () => undefined };

/** This container's Compose project: BOTSTACK_COMPOSE_PROJECT, or the label Compose put on us (our hostname is our id). */
async function ownProject(engine: Engine, env: NodeJS.ProcessEnv): Promise<string> {
  if (env.BOTSTACK_COMPOSE_PROJECT) return env.BOTSTACK_COMPOSE_PROJECT;
  const self = await engine.call<ContainerInspect>('GET', `/containers/${encodeURIComponent(env.HOSTNAME ?? '')}/json`);
  const project = self.Config.Labels?.[PROJECT_LABEL];
  if (!project) throw new Error(`container ${env.HOSTNAME} has no ${PROJECT_LABEL} label: run the monitor through docker compose, or set BOTSTACK_COMPOSE_PROJECT`);
  return project;
}

function writeReport(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  process.on('uncaughtException', dieOn('uncaught exception'));
  process.on('unhandledRejection', dieOn('unhandled rejection'));
  const stack = JSON.parse(readFileSync(env.BOTSTACK_STACK_FILE ?? STACK_FILE, 'utf8')) as Stack;
  const engine = new Engine({ socketPath: socketFromEnv(env) });
  const project = await ownProject(engine, env);
  const watched = stack.services.filter((s) => s.kind !== 'monitor');
  const driver = new DockerDriver({ engine, project, services: watched.map((s) => s.name), stopTimeoutS: (name) => Math.ceil((watched.find((s) => s.name === name)?.stopTimeoutMs ?? 10_000) / 1000), log });
  await driver.list();
  const owned: ServiceProbe[] = [];
  const probes = new Map<string, ServiceProbe['probe']>();
  for (const s of watched) {
    const p = dockerProbeFor(s, driver, engine);
    if (p) owned.push(p), probes.set(s.name, p.probe);
  }
  const metrics = env.BOTSTACK_METRICS ? new (await import('../../metrics/monitor-metrics.js')).MonitorMetrics([...probes.keys()]) : null;
  const startedAt = realClock.now();
  const reportFile = env.BOTSTACK_REPORT_FILE ?? REPORT_FILE;
  const store = fileHistoryStore(`${dirname(reportFile)}/restarts.json`, log);
  const policy = readPolicyEnv(env);
  // The Engine's StartedAt is the host's wall clock; the brain runs on the monotonic one.
  const processStart = (p: { startedAt: number | null }) => (p.startedAt === null ? null : monoNow() - Math.max(0, Date.now() - p.startedAt));
  const monitor = new Monitor({ stack, probes, pm2: driver, sink: quietSink, clock: realClock, policy, treeRss: () => null, isAlive: (pid) => driver.isAlive(pid), log, store, processStart, reconcileMs: 5000, ...(metrics ? { onProbe: metrics.observe } : {}) });
  let last = '';
  const reporter = setInterval(() => {
    const text = JSON.stringify(monitor.report(), null, 2) + '\n';
    if (text !== last) writeReport(reportFile, (last = text));
  }, 1000);
  let stopping = false;
  let stopAlerts = (): void => undefined;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`monitor: ${signal}, stopping`);
    clearInterval(reporter);
    await monitor.stop();
    stopAlerts();
    await metrics?.close();
    await Promise.all(owned.map((p) => p.close().catch(() => undefined)));
    driver.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  const alerts = await (await import('../../alerts/monitor-entry.js')).monitorAlerts(stack, env, policy, log);
  if (alerts) {
    monitor.onSettled((states, history, now) => alerts.settled(states, history, now));
    stopAlerts = () => alerts.stop();
  }
  await monitor.start();
  if (metrics) await metrics.listen(env.BOTSTACK_METRICS!, metrics.renderer(monitor, startedAt, realClock.now, watched.map((s) => s.name)), { info: log, error: logError });
  log(`monitor: watching ${[...probes.keys()].join(', ')} of Compose project ${project} through the Docker Engine (${socketFromEnv(env)})`);
}

main().catch(dieOn('failed to start'));
