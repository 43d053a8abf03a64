// Measures `botstack status` wall time and `botstack start`'s overhead over the
// stack's own readiness chain, on the 5-app fixture stack (mongod stand-in, two
// real uvicorn apps, the bot, the monitor) in a temp PM2_HOME.
//   npm run build && npx tsx scripts/bench-cli.ts [runs]
// Method and figures: BENCHMARKS.md, "The CLI".
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { canBind } from '../src/ops/shared/ports.js';
import { Pm2Client } from '../src/pm2/client.js';
import { probeFor } from '../src/probes/index.js';
import { compileService, startLevels, type Stack } from '../src/stack/index.js';
import { loadStack } from '../src/rules/stack-load.js';
import { sleep, waitFor } from '../src/util/timeout.js';
import { makeProject } from '../test/helpers/project.js';
import { botStackInput, randomPorts } from '../test/helpers/stack.js';
import { stackFile } from '../test/unit/cli/cli-run.js';

const BIN = resolve(import.meta.dirname, '..', 'bin', 'botstack.js');
const RUNS = Number(process.argv[2] ?? 5);

function timed(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number; out: string }> {
  const t0 = performance.now();
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { env }, (err, stdout, stderr) => {
      done({ ms: performance.now() - t0, code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

/** The readiness chain by hand: each level started through pm2, polled every 10 ms until healthy. */
async function chain(client: Pm2Client, stack: Stack): Promise<number> {
  let total = 0;
  for (const level of startLevels(stack.services)) {
    const t0 = performance.now();
    await client.start(level.map((s) => compileService(stack, s)));
    await Promise.all(level.map(async (s) => {
      const p = probeFor(s);
      try {
        await waitFor(`${s.name} healthy`, async () => {
          const proc = await client.get(s.name);
          if (proc?.status !== 'online') return undefined;
          return !p || (await p.probe(AbortSignal.timeout(1000))).ok ? true : undefined;
        }, { timeoutMs: 60_000, intervalMs: 10 });
      } finally {
        await p?.close();
      }
    }));
    total += performance.now() - t0;
  }
  return total;
}

async function clear(client: Pm2Client, stack: Stack): Promise<void> {
  for (const s of stack.services) await client.delete(s.name).catch(() => undefined);
  for (const s of stack.services) if (s.port) await waitFor(`${s.name} port free`, async () => ((await canBind(s.host, s.port!)) ? true : undefined), { timeoutMs: 20_000 });
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)]!.toFixed(0)} ms, min ${s[0]!.toFixed(0)}, max ${s[s.length - 1]!.toFixed(0)} (n=${s.length})`;
};

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'botstack-bench-'));
  const env = { ...process.env, PM2_HOME: home };
  const root = makeProject();
  const input = botStackInput(root, await randomPorts(), { monitor: true });
  const config = stackFile(input, root);
  // The same stack as TypeScript, importing defineStack the way ecosystem.config.ts does: loaded through tsx.
  const tsConfig = join(root, 'stack.config.mts');
  writeFileSync(tsConfig, `import { defineStack } from '${resolve(import.meta.dirname, '..', 'src', 'stack', 'index.js')}';\nexport default defineStack(${JSON.stringify(input)});\n`);
  const loaded = await loadStack(config, { env });
  if (!loaded.ok) throw new Error('bench stack does not load');
  const stack = loaded.stack;
  const client = await Pm2Client.connect({ home });
  try {
    const chains: number[] = [];
    const starts: number[] = [];
    const overheads: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const c = await chain(client, stack);
      await clear(client, stack);
      const s = await timed(['start', '--config', config], env);
      if (s.code !== 0) throw new Error(`botstack start failed:\n${s.out}`);
      chains.push(c);
      starts.push(s.ms);
      overheads.push(s.ms - c);
      if (i < RUNS - 1) await clear(client, stack);
    }
    console.log(`readiness chain (by hand): ${stats(chains)}`);
    console.log(`botstack start wall:       ${stats(starts)}`);
    console.log(`start overhead per run:    ${stats(overheads)}`);
    await waitFor('monitor offers health', async () => ((await client.get('monitor'))?.actions.includes('health') ? true : undefined), { timeoutMs: 20_000 });
    await sleep(1500); // let the monitor take its first round of probes
    for (const [label, args] of [['status (.mjs, monitor up)', ['status', '--config', config]], ['status --json', ['status', '--json', '--config', config]], ['status (.mts stack file)', ['status', '--config', tsConfig]]] as const) {
      const runs: number[] = [];
      for (let i = 0; i < 10; i++) {
        const r = await timed([...args], env);
        if (r.code !== 0) console.log(`exit ${r.code}:\n${r.out}`);
        runs.push(r.ms);
      }
      console.log(`${label.padEnd(26)} ${stats(runs)}`);
    }
    const last = await timed(['status', '--json', '--config', config], env);
    console.log(`healthSource: ${(JSON.parse(last.out) as { healthSource: string }).healthSource}`);
    await client.stop('monitor');
    const probed: number[] = [];
    for (let i = 0; i < 10; i++) probed.push((await timed(['status', '--config', config], env)).ms);
    console.log(`${'status (monitor stopped)'.padEnd(26)} ${stats(probed)}`);
  } finally {
    await client.killDaemon().catch(() => undefined);
    await client.disconnect();
  }
}

await main();
process.exit(0);
