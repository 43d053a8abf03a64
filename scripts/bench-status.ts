// `botstack status` against `pm2 jlist` (the pm2 CLI's own, on the same daemon),
// alternated, on the incident-shaped stack: a copy of test/fixtures/user-project
// with a typed .ts stack file (mongod stand-in, two real uvicorn apps, the bot,
// the monitor) on free ports, in a temp PM2_HOME, monitor running.
//   npx tsc -p tsconfig.build.json && npx tsx scripts/bench-status.ts [pairs=9] [extra-bin...]
// Each extra bin (another build's bin/botstack.js, say the code before this
// work) is timed as a third arm in the same rotation. Wall time from spawn to
// exit, and the child's user+sys CPU from /usr/bin/time. Method: BENCHMARKS.md.
// BENCH_PROFILE_DIR=<dir>: also one --cpu-prof run of each botstack arm, in <dir>/arm<k>.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Pm2Client } from '../src/pm2/client.js';
import { sleep, waitFor } from '../src/util/timeout.js';
import { freePorts } from '../test/helpers/ports.js';
import { makeProject, MONGOD_STANDIN, REPO, USER_PROJECT } from '../test/helpers/project.js';

const PAIRS = Number(process.argv[2] ?? 9);
const EXTRA = process.argv.slice(3);
const BIN = join(REPO, 'bin', 'botstack.js');
const PM2 = join(REPO, 'node_modules', 'pm2', 'bin', 'pm2');

/** The user's stack as they write it (ecosystem.config.ts's shape), on free ports. */
async function incidentStack(root: string): Promise<string> {
  const [mongo, api, web] = await freePorts(3);
  const file = join(root, 'ecosystem.config.ts');
  writeFileSync(file, `import { defineStack } from '${join(REPO, 'src', 'stack', 'index.js')}';
const API_V2_URL = process.env.API_V2_URL ?? 'http://127.0.0.1:${api}';
export default defineStack({
  name: 'telegram-bot',
  services: [
    { name: 'mongod', kind: 'mongod', host: '127.0.0.1', port: ${mongo} },
    { name: 'api', kind: 'uvicorn', app: 'api_v2.app:app', port: ${api}, health: { type: 'http', path: '/health' }, reloadInDevelopment: true, dependsOn: ['mongod'] },
    { name: 'web', kind: 'uvicorn', app: 'web.app:app', port: ${web}, env: { API_V2_URL }, health: { type: 'http', path: '/api/health' }, reloadInDevelopment: true, dependsOn: ['api'] },
    { name: 'bot', kind: 'python', script: 'bot/main.py', env: { API_V2_URL }, secrets: ['TELEGRAM_BOT_TOKEN'], health: { type: 'heartbeat', file: 'run/bot.heartbeat', maxAge: '60s' }, dependsOn: ['api'] },
    { name: 'monitor', kind: 'monitor' },
  ],
});
`);
  return file;
}

interface Run { ms: number; cpuMs: number; code: number; out: string }

function timed(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const t0 = performance.now();
  return new Promise((done) => {
    execFile('/usr/bin/time', ['-f', '@@%U %S', process.execPath, ...args], { env, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      const ms = performance.now() - t0;
      const m = /@@([\d.]+) ([\d.]+)\s*$/.exec(stderr);
      const cpuMs = m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN;
      done({ ms, cpuMs, code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr.replace(/@@.*\s*$/, '') });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const root = makeProject(USER_PROJECT);
  const config = await incidentStack(root);
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, PM2_HOME: join(root, '.pm2'), BOTSTACK_ROOT: root, BOTSTACK_MONGOD: MONGOD_STANDIN };
  const start = await timed([BIN, 'start', '--config', config], env);
  const client = await Pm2Client.connect({ home: env.PM2_HOME, spawnDaemon: false });
  try {
    if (start.code !== 0) throw new Error(`botstack start failed:\n${start.out}`);
    await waitFor('monitor offers health', async () => ((await client.get('monitor'))?.actions.includes('health') ? true : undefined), { timeoutMs: 20_000 });
    await sleep(3000); // the monitor's first verdicts
    // The loader's cache (~/.cache/botstack) is warm after the first call, as for an operator; the cache-off arm shows the rest.
    const off = { ...env, BOTSTACK_CACHE_DIR: 'off' };
    const arms: [string, string[], NodeJS.ProcessEnv][] = [
      ['botstack status', [BIN, 'status', '--config', config], env],
      ['pm2 jlist', [PM2, 'jlist'], env],
      ['status, cache off', [BIN, 'status', '--config', config], off],
      ...EXTRA.map((b, i): [string, string[], NodeJS.ProcessEnv] => [`extra ${i + 1}: ${b}`, [b, 'status', '--config', config], env]),
    ];
    for (const [, args, e] of arms) await timed(args, e); // warm the page cache (and the loader's cache) for each
    const runs = arms.map(() => [] as Run[]);
    const ratios: number[] = [];
    const loads: number[] = [];
    for (let i = 0; i < PAIRS; i++) {
      // Alternate which goes first, so drift on the shared machine hits both alike.
      const order = i % 2 === 0 ? arms.map((_, k) => k) : arms.map((_, k) => k).reverse();
      for (const k of order) {
        const r = await timed(arms[k]![1], arms[k]![2]);
        if (k === 0 && r.code !== 0) throw new Error(`status exit ${r.code}:\n${r.out}`);
        runs[k]!.push(r);
      }
      ratios.push(runs[0]![i]!.ms / runs[1]![i]!.ms);
      loads.push(loadavg()[0]!);
    }
    // BENCH_PROFILE_DIR: one --cpu-prof run of each botstack arm, for where the time goes (BENCHMARKS.md).
    const profDir = process.env.BENCH_PROFILE_DIR;
    if (profDir) for (const [k, [, args, e]] of arms.entries()) if (k !== 1) await timed(['--cpu-prof', `--cpu-prof-dir=${join(profDir, `arm${k}`)}`, '--cpu-prof-interval=100', ...args], e);
    const source = (JSON.parse((await timed([BIN, 'status', '--json', '--config', config], env)).out) as { healthSource: string }).healthSource;
    console.log(`${PAIRS} alternated pairs, healthSource=${source}, load average (1 min) during the run: ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} on ${readFileSync('/proc/cpuinfo', 'utf8').split('\nprocessor').length} cores`);
    for (const [k, [label]] of arms.entries()) {
      const ms = runs[k]!.map((r) => r.ms);
      console.log(`${label.padEnd(22)} wall median ${median(ms).toFixed(0)} ms (min ${Math.min(...ms).toFixed(0)}, max ${Math.max(...ms).toFixed(0)}), CPU median ${median(runs[k]!.map((r) => r.cpuMs)).toFixed(0)} ms`);
    }
    console.log(`median of per-pair ratios, status / jlist: ${median(ratios).toFixed(2)} (${ratios.map((r) => r.toFixed(2)).join(' ')})`);
    for (let k = 2; k < arms.length; k++) console.log(`median of per-pair ratios, ${arms[k]![0]} / jlist: ${median(runs[k]!.map((r, i) => r.ms / runs[1]![i]!.ms)).toFixed(2)}`);
  } finally {
    // This run's daemon (its own PM2_HOME), whatever happened: never one by name.
    await client.killDaemon().catch(() => undefined);
    await client.disconnect();
  }
}

await main();
process.exit(0);
