// Failed requests and the longest gap between two good answers while a uvicorn
// app is replaced, at 50 requests/s on 127.0.0.1, on new connections and with
// keep-alive clients, every way side by side in one run, alternated per trial:
//   sockhold (runtime/sockhold.py, what botstack launches uvicorn through):
//     roll to new code; roll to a commit whose every route answers 500; heal of
//     a SIGSTOPped child (roll, SIGKILL the old once the new is ready);
//   controls: the holder stopped and started again (what a plain `pm2 restart`
//     does: the socket closes); uvicorn --reload after the file changes (what
//     the incident's git pull did);
//   rejected alternatives: gunicorn + uvicorn's worker + HUP (new code, and the
//     500 commit); two instances on SO_REUSEPORT (net.ipv4.tcp_migrate_req as set).
// Also the holder's whole-tree RSS while two children overlap.
// The pm2 + git rows (botstack deploy/restart, today's deploy) are in
// scripts/bench-zero-downtime-pm2.ts.
//   npx tsx scripts/bench-zero-downtime.ts [trials=3]
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { treeRss } from '../src/monitor/tree-memory.js';
import { readHolderState, roll } from '../src/stack/rolling.js';
import { waitFor } from '../src/util/timeout.js';
import { Cleanup } from '../test/helpers/cleanup.js';
import { startLoad, type LoadShape, type Window } from '../test/helpers/http-load.js';
import { freePort } from '../test/helpers/ports.js';
import { appSource, startHolder, type Holder } from '../test/helpers/sockhold.js';
import { gunicorn, reload, reuseport, type Served } from './zero-downtime/servers.js';

const trials = Number(process.argv[2] ?? 3);
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
const version = (port: number, n: number) => () =>
  fetch(`http://127.0.0.1:${port}/health`).then(async (r) => (r.ok && (await r.text()).includes(`"version":${n}`) ? true : undefined), () => undefined);

interface Row extends Window {
  readonly way: string;
  readonly shape: LoadShape;
  readonly [k: string]: unknown;
}
const rows: Row[] = [];

/** Load for 1 s, act, wait for `done`, 2 s more; the counts cover all of it. */
async function trial(way: string, shape: LoadShape, port: number, act: () => Promise<Record<string, unknown> | void>, timeoutMs = 2000): Promise<void> {
  const load = startLoad({ port: () => port, shape, timeoutMs, maxMs: 120_000 });
  await settle(1000);
  const t0 = performance.now();
  const extra = (await act()) ?? {};
  const actMs = Math.round(performance.now() - t0);
  await settle(2000);
  await load.stop();
  const row = { way, shape, ...load.window(0, Infinity), actMs, ...extra };
  rows.push(row);
  process.stderr.write(JSON.stringify(row) + '\n');
}

/** The holder's tree RSS sampled every 20 ms while `work` runs: steady before, peak during. */
async function sampled<T>(h: Holder, work: () => Promise<T>): Promise<{ result: T; steadyMiB: number; peakMiB: number }> {
  const steady = treeRss(h.proc.pid!) ?? 0;
  let peak = steady;
  let on = true;
  const sampler = (async () => {
    while (on) {
      peak = Math.max(peak, treeRss(h.proc.pid!) ?? 0);
      await settle(20);
    }
  })();
  const result = await work();
  on = false;
  await sampler;
  const mib = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
  return { result, steadyMiB: mib(steady), peakMiB: mib(peak) };
}

const cleanup = new Cleanup();
try {
  const h = await startHolder(cleanup, await freePort());
  const g = await gunicorn(cleanup, await freePort());
  const rp = await reuseport(cleanup, await freePort());
  const rl = await reload(cleanup, await freePort());
  let holder = h;
  let n = 1;
  const migrate = readFileSync('/proc/sys/net/ipv4/tcp_migrate_req', 'utf8').trim();
  const hup = async (s: Served, next: number) => {
    process.kill(s.proc.pid!, 'SIGHUP');
    await waitFor('gunicorn serves the new code', version(s.port, next), { timeoutMs: 30_000, intervalMs: 20 });
  };
  for (let t = 0; t < trials; t++) {
    for (const shape of ['new-connections', 'keep-alive'] as const) {
      await trial('sockhold roll, new code', shape, holder.port, async () => {
        holder.writeApp(appSource(++n));
        const s = await sampled(holder, () => roll(holder.control, 'deploy', { timeoutMs: 60_000 }));
        return { ok: s.result.ok, steadyMiB: s.steadyMiB, peakMiB: s.peakMiB };
      });
      await trial('sockhold roll, every route 500', shape, holder.port, async () => {
        holder.writeApp(appSource(n + 1, { broken: true }));
        const r = await roll(holder.control, 'deploy', { timeoutMs: 60_000 });
        holder.writeApp(appSource(n));
        return { ok: r.ok, servedByOld: readHolderState(holder.control)?.child };
      });
      await trial('sockhold heal of a SIGSTOPped child (1 s hung)', shape, holder.port, async () => {
        process.kill(readHolderState(holder.control)!.child, 'SIGSTOP');
        await settle(1000);
        const r = await roll(holder.control, 'heal', { timeoutMs: 60_000, killOld: true });
        return { ok: r.ok };
      }, 10_000);
      await trial('control: holder stopped and started (as pm2 restart)', shape, holder.port, async () => {
        const old = holder;
        process.kill(old.proc.pid!, 'SIGINT');
        await waitFor('the holder exits', () => (old.proc.exitCode !== null || old.proc.signalCode !== null ? true : undefined), { timeoutMs: 30_000, intervalMs: 5 });
        holder = await startHolder(cleanup, old.port, { dir: old.dir });
      });
      await trial('gunicorn + UvicornWorker, HUP, new code', shape, g.port, async () => {
        g.writeApp(appSource(++n));
        await hup(g, n);
      });
      await trial('gunicorn + UvicornWorker, HUP, every route 500', shape, g.port, async () => {
        g.writeApp(appSource(n + 1, { broken: true }));
        process.kill(g.proc.pid!, 'SIGHUP');
        await settle(3000);
        g.writeApp(appSource(++n));
      });
      await hup(g, n);
      await trial(`SO_REUSEPORT, two instances (tcp_migrate_req=${migrate})`, shape, rp.port, async () => {
        rp.writeApp(appSource(++n));
        await rp.roll();
      });
      await trial(`SO_REUSEPORT, heal of a SIGSTOPped instance (1 s hung, tcp_migrate_req=${migrate})`, shape, rp.port, async () => {
        process.kill(rp.current(), 'SIGSTOP');
        await settle(1000);
        await rp.roll(true);
      }, 10_000);
      await trial('control: uvicorn --reload, file changed', shape, rl.port, async () => {
        rl.writeApp(appSource(++n));
        await waitFor('--reload serves the new code', version(rl.port, n), { timeoutMs: 30_000, intervalMs: 20 });
      });
    }
  }
  console.log(JSON.stringify({ rate: 50, trials, load: loadavg(), rows }));
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await cleanup.run().catch((e: unknown) => console.error(e));
  process.exit(process.exitCode);
}
