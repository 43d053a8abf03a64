// The demo's Compose export on a real (private) Docker, side by side in one
// run, rounds alternated: with botstack's monitor, and the same file with the
// monitor scaled to 0 (the control, never healed). Per round:
//   - up: from `docker-compose up -d` to every app container healthy (Docker's own health);
//   - pause: `docker pause api`, then to api restarted (a new StartedAt), and to healthy again;
//   - hang: the same after SIGSTOP to the api's python inside its container (alive, never answering:
//     Docker's exec'd check then has to time out, where a paused container fails it at once).
// docker-autoheal is not run (no registry here to pull it from); its figure is
// computed from its documented defaults (AUTOHEAL_INTERVAL=5 s, restart on
// health_status=unhealthy) and the control's measured time to `unhealthy`.
// Run as root: npx tsx scripts/bench-compose.ts [rounds=3]
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cleanup } from '../test/helpers/cleanup.js';
import type { Compose, Inspect } from '../test/helpers/compose.js';
import { composeProject, demoCopy, dockerWithImages, exportCompose } from '../test/helpers/docker-suite.js';
import { freePorts } from '../test/helpers/ports.js';

const ROUNDS = Number(process.argv[2] ?? 3);
const APPS = ['mongod', 'api', 'web', 'bot'];
const NEVER_MS = 30_000;
const AUTOHEAL_INTERVAL_MS = 5000;
const started = (c: Inspect): number => Date.parse(c.State.StartedAt);

type Fault = 'pause' | 'hang';
const FAULTS: readonly Fault[] = ['pause', 'hang'];

interface Round {
  readonly arm: 'monitor' | 'control';
  readonly fault: Fault;
  readonly upMs: number;
  readonly unhealthyMs: number | null;
  readonly restartedMs: number | null;
  readonly healthyMs: number | null;
}

/** Freezes the api: the Engine's pause (the cgroup freezer), or SIGSTOP to tini's child, the python. */
async function freeze(c: Compose, fault: Fault): Promise<void> {
  if (fault === 'pause') await c.run(['pause', 'api']);
  else await c.run(['exec', '-T', 'api', 'sh', '-c', 'kill -STOP $(cat /proc/1/task/1/children)']);
}

async function thaw(c: Compose, fault: Fault): Promise<void> {
  if (fault === 'pause') await c.run(['unpause', 'api']).catch(() => undefined);
  else await c.run(['exec', '-T', 'api', 'sh', '-c', 'kill -CONT $(cat /proc/1/task/1/children)']).catch(() => undefined);
}

async function round(c: Compose, arm: Round['arm'], fault: Fault): Promise<Round> {
  await c.run(['down', '-v', '-t', '5']);
  const t0 = Date.now();
  await c.run(['up', '-d', ...(arm === 'control' ? ['--scale', 'monitor=0'] : [])]);
  await c.untilHealthy(APPS, 180_000);
  const upMs = Date.now() - t0;
  if (arm === 'monitor') {
    const id = await c.id('monitor');
    const mem = id ? (await c.run(['exec', '-T', 'monitor', 'sh', '-c', 'for p in $(cat /proc/1/task/1/children); do grep VmRSS /proc/$p/status; done'])).trim().replace(/\s+/g, ' ') : '';
    process.stdout.write(`monitor (node, under tini) ${mem}\n`);
  }
  const api = await c.inspect('api');
  const p0 = Date.now();
  await freeze(c, fault);
  let unhealthyMs: number | null = null;
  let restartedMs: number | null = null;
  let healthyMs: number | null = null;
  while (Date.now() - p0 < NEVER_MS) {
    const now = await c.inspect('api');
    const t = Date.now() - p0;
    if (unhealthyMs === null && now.State.Health?.Status === 'unhealthy') unhealthyMs = t;
    if (restartedMs === null && started(now) > started(api)) restartedMs = t;
    if (restartedMs !== null && now.State.Running && !now.State.Paused && now.State.Health?.Status === 'healthy') {
      healthyMs = t;
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (restartedMs === null) await thaw(c, fault);
  return { arm, fault, upMs, unhealthyMs, restartedMs, healthyMs };
}

const median = (xs: readonly number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const sec = (ms: number | null): string => (ms === null ? 'never' : `${(ms / 1000).toFixed(1)} s`);

async function main(): Promise<void> {
  const cleanup = new Cleanup();
  try {
    const d = await dockerWithImages(cleanup);
    const [api, web] = await freePorts(2);
    const demo = demoCopy({ api: api!, web: web! });
    const out = mkdtempSync(join(tmpdir(), 'botstack-bench-compose-'));
    await exportCompose(demo.config, out);
    const c = composeProject(d, cleanup, out, 'bench');
    const b0 = Date.now();
    await c.run(['build']);
    process.stdout.write(`images built (cached base) in ${sec(Date.now() - b0)}; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      for (const arm of i % 2 === 0 ? (['monitor', 'control'] as const) : (['control', 'monitor'] as const)) {
        for (const fault of FAULTS) {
          const r = await round(c, arm, fault);
          rounds.push(r);
          process.stdout.write(`${arm.padEnd(8)} up→healthy ${sec(r.upMs)}; ${fault}→unhealthy ${sec(r.unhealthyMs)}, →restarted ${sec(r.restartedMs)}, →healthy ${sec(r.healthyMs)}; load ${loadavg()[0]!.toFixed(2)}\n`);
        }
      }
    }
    const of = (arm: Round['arm'], fault: Fault | null, k: keyof Omit<Round, 'arm' | 'fault'>): number | null =>
      median(rounds.filter((r) => r.arm === arm && (fault === null || r.fault === fault)).map((r) => r[k]).filter((x): x is number => x !== null));
    process.stdout.write(`\nmedians over ${ROUNDS} rounds each:\n`);
    for (const arm of ['monitor', 'control'] as const) process.stdout.write(`${arm.padEnd(8)} up→healthy ${sec(of(arm, null, 'upMs'))}\n`);
    for (const fault of FAULTS) {
      for (const arm of ['monitor', 'control'] as const) {
        const never = rounds.filter((r) => r.arm === arm && r.fault === fault && r.restartedMs === null).length;
        process.stdout.write(`${arm.padEnd(8)} ${fault}: →unhealthy (Docker) ${sec(of(arm, fault, 'unhealthyMs'))}, →restarted ${sec(of(arm, fault, 'restartedMs'))}${never ? ` (${never} never within ${NEVER_MS / 1000} s)` : ''}, →healthy ${sec(of(arm, fault, 'healthyMs'))}\n`);
      }
      const unhealthy = of('control', fault, 'unhealthyMs');
      const restartCost = (of('monitor', fault, 'healthyMs') ?? 0) - (of('monitor', fault, 'restartedMs') ?? 0);
      if (unhealthy !== null) {
        process.stdout.write(`autoheal ${fault} (computed): →restarted ${sec(unhealthy)}..${sec(unhealthy + AUTOHEAL_INTERVAL_MS)} (Docker's unhealthy + its ${AUTOHEAL_INTERVAL_MS / 1000} s poll), →healthy about ${sec(unhealthy + AUTOHEAL_INTERVAL_MS / 2 + restartCost)} (+ the monitor arm's restart→healthy, ${sec(restartCost)})\n`);
      }
    }
  } finally {
    await cleanup.run();
  }
}

await main();
