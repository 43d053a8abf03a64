import { join } from 'node:path';
import { pm2Home } from '../pm2/client.js';
import { DaemonLink } from '../pm2/daemon-link.js';
import { probeFor, type ServiceProbe } from '../probes/index.js';
import { STACK_ENV_KEY } from '../stack/env-key.js';
import type { Stack } from '../stack/types.js';
import { realClock } from './clock.js';
import { Monitor } from './monitor.js';
import type { HealPolicy } from './policy.js';
import { readPolicyEnv } from './policy-env.js';
import { pm2IoSink } from './pm2io.js';
import { fileHistoryStore } from './history-store.js';
import { HolderCache, serviceRss, type MemoryReader } from './held-memory.js';
import { REWALK_MS, TreeMemory } from './tree-memory.js';
import { monoNow, processStartMono } from '../util/mono.js';
import { pidAlive } from '../util/proctree.js';
import { makeRedactor, type Redact } from '../util/redact.js';
import { secretsOf, stackRedactorSync } from '../util/secrets.js';
import { runOwner } from '../util/run-owner.js';

// The `monitor` pm2 app. It reads the resolved stack from its environment (the
// compiler put it there), talks to the pm2 daemon that runs it, and runs until
// pm2 stops it. On any uncaught error it exits 1 and lets pm2 restart it: a
// monitor in an unknown state is worse than one that rebuilds its view from
// pm2 a second later (which never restarts a service by itself).

export class MonitorConfigError extends Error {
  readonly code = 'MONITOR_CONFIG';
}

const readPolicy = (env: NodeJS.ProcessEnv): HealPolicy => readPolicyEnv(env, (message) => new MonitorConfigError(message));

function readStack(env: NodeJS.ProcessEnv): Stack {
  const raw = env[STACK_ENV_KEY];
  if (!raw) throw new MonitorConfigError(`${STACK_ENV_KEY} is not set: start the monitor through the stack (pm2 start ecosystem.config.cjs), not by hand`);
  return JSON.parse(raw) as Stack;
}

/** A log line, redacted: probe reasons quote what services answered, and the monitor's log files are shown and shared. */
const logTo = (stream: NodeJS.WriteStream, redact: Redact) => (line: string) => stream.write(`${new Date().toISOString()} ${redact(line)}\n`);

/** The stack's secrets, read here in the monitor's own process (as alerts read their token); an unreadable .env leaves the environment's. */
function redactorOf(stack: Stack, env: NodeJS.ProcessEnv): { redact: Redact; problem: string | null } {
  try {
    return { redact: stackRedactorSync(stack, env), problem: null };
  } catch (err) {
    return { redact: makeRedactor(secretsOf(stack, {}, env)), problem: `monitor: cannot read ${stack.envFile} (${(err as NodeJS.ErrnoException).code ?? String(err)}): its secrets are not redacted from the log and the report` };
  }
}

function dieOn(what: string) {
  return (err: unknown) => {
    process.stderr.write(`${new Date().toISOString()} monitor: ${what}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  };
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  process.on('uncaughtException', dieOn('uncaught exception'));
  process.on('unhandledRejection', dieOn('unhandled rejection'));
  const stack = readStack(env);
  const { redact, problem } = redactorOf(stack, env);
  const log = logTo(process.stdout, redact);
  const logError = logTo(process.stderr, redact);
  if (problem) logError(problem);
  const sink = pm2IoSink();
  // The bus is drained on the probes' 1 s grid: events arrive at most 1 s late, and cost no wake-up of their own.
  const pm2 = await DaemonLink.connect({ home: pm2Home(env), timeoutMs: 10_000, busDrainMs: 1000 });
  const owned: ServiceProbe[] = [];
  const probes = new Map<string, ServiceProbe['probe']>();
  const rearms = new Map<string, () => void>();
  for (const s of stack.services) {
    if (s.kind === 'monitor') continue;
    const p = probeFor(s, { monitor: true });
    if (p) {
      owned.push(p);
      probes.set(s.name, p.probe);
      if (p.rearm) rearms.set(s.name, p.rearm);
    }
  }
  // Off unless set; loaded only then, so a monitor without metrics carries none of it.
  const metrics = env.BOTSTACK_METRICS ? new (await import('../metrics/monitor-metrics.js')).MonitorMetrics([...probes.keys()]) : null;
  const startedAt = realClock.now();
  const store = fileHistoryStore(join(pm2.home, 'botstack-restarts.json'), log, runOwner(pm2.home));
  const processStart = (p: { pid: number }) => processStartMono(p.pid);
  const policy = readPolicy(env);
  const trees = new TreeMemory();
  const holders = new HolderCache(monoNow, REWALK_MS);
  const memory: MemoryReader = { tree: (p) => trees.rss(p), own: (p) => trees.own(p), holder: (p) => holders.holder(p), children: (p, fresh) => trees.children(p, fresh) };
  const monitor = new Monitor({ stack, probes, pm2, sink, clock: realClock, policy, treeRss: (pid) => serviceRss(pid, '/proc', memory), isAlive: pidAlive, log, redact, store, processStart, rearm: (name) => rearms.get(name)?.(), ...(metrics ? { onProbe: metrics.observe } : {}) });
  let stopping = false;
  let stopAlerts = async (): Promise<void> => undefined;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`monitor: ${signal}, stopping`);
    await monitor.stop();
    // Queued alerts get up to ~3 s (kill_timeout is 5 s); what is left is journaled and sent by the next start.
    await stopAlerts().catch((err: unknown) => logError(`alerts: stop: ${String(err)}`));
    await metrics?.close();
    await Promise.all(owned.map((p) => p.close().catch(() => undefined)));
    sink.close();
    await pm2.disconnect();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // Alerts read <root>/.env here, in this process, so their token never passes through pm2. Off: nothing more is loaded.
  const alerts = await (await import('../alerts/monitor-entry.js')).monitorAlerts(stack, env, policy, log, redact);
  if (alerts) {
    monitor.onSettled((states, history, now) => alerts.settled(states, history, now));
    stopAlerts = () => alerts.stop();
  }
  await monitor.start();
  if (metrics) {
    const watched = stack.services.filter((s) => s.kind !== 'monitor').map((s) => s.name);
    await metrics.listen(env.BOTSTACK_METRICS!, metrics.renderer(monitor, startedAt, realClock.now, watched), { info: log, error: logError });
  }
  log(`monitor: watching ${[...probes.keys()].join(', ')} of stack ${stack.name}`);
}

main().catch(dieOn('failed to start'));
