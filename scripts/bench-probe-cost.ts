// Client CPU per probe: botstack's http probe against the incident-style
// `curl` shell loop (health_check.sh), same server, same count, one run.
//
//   npx tsx scripts/bench-probe-cost.ts [probes=500] [rounds=5]
//
// The server runs in a child process so its CPU is in neither figure. Rounds
// alternate the two clients so drift on a shared machine hits both alike.
// botstack: process.cpuUsage() of this process around its probes.
// curl: user+sys of the bash loop and every curl it waited for, from /usr/bin/time.
import { execFile, spawn } from 'node:child_process';
import { httpProbe } from '../src/probes/http.js';

const PROBES = Number(process.argv[2] ?? 500);
const ROUNDS = Number(process.argv[3] ?? 5);
const PER_ROUND = Math.ceil(PROBES / ROUNDS);
const WARMUP = 20;

const SERVER = `
const http = require('node:http');
const body = JSON.stringify({ status: 'ok' });
const srv = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }); res.end(body); });
srv.listen(0, '127.0.0.1', () => console.log('listening ' + srv.address().port));
process.on('SIGTERM', () => srv.close(() => process.exit(0)));`;

interface Cost {
  cpuMs: number;
  wallMs: number;
  n: number;
}

async function startServer(): Promise<{ port: number; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
    child.stdout.on('data', (d: Buffer) => {
      const m = /listening (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
  });
  return { port, stop: () => child.kill('SIGTERM') };
}

async function botstackRound(port: number, n: number, json: boolean): Promise<Cost> {
  const probe = httpProbe({ host: '127.0.0.1', port, path: '/health', timeoutMs: 1000, ...(json ? { expectJson: { field: 'status', equals: 'ok' } } : {}) });
  const signal = new AbortController().signal;
  const wall = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const r = await probe(signal);
    if (!r.ok) throw new Error(`probe failed: ${r.reason}`);
  }
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall, n };
}

/**
 * The health_check.sh way: one curl process per probe, from a bash loop. With
 * `capture`, the status is read through $(...) as such a script does (a
 * subshell fork per probe); without, curl alone: the cheapest a curl loop gets.
 */
function curlRound(port: number, n: number, capture = true): Promise<Cost> {
  const curl = `curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:${port}/health`;
  const body = capture ? `code=$(${curl}); [ "$code" = 200 ] || exit 1` : `${curl} >/dev/null || exit 1`;
  const loop = `for i in $(seq ${n}); do ${body}; done`;
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/time', ['-f', 'TIME %U %S %e', 'bash', '-c', loop], (err, _out, stderr) => {
      const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+)/.exec(stderr);
      if (err || !m) return reject(new Error(`curl loop failed: ${err?.message ?? stderr}`));
      resolve({ cpuMs: (Number(m[1]) + Number(m[2])) * 1000, wallMs: Number(m[3]) * 1000, n });
    });
  });
}

const add = (a: Cost, b: Cost): Cost => ({ cpuMs: a.cpuMs + b.cpuMs, wallMs: a.wallMs + b.wallMs, n: a.n + b.n });
const zero = (): Cost => ({ cpuMs: 0, wallMs: 0, n: 0 });
const per = (c: Cost) => c.cpuMs / c.n;

async function main(): Promise<void> {
  const server = await startServer();
  try {
    await botstackRound(server.port, WARMUP, true);
    await curlRound(server.port, WARMUP);
    let plain = zero();
    let json = zero();
    let curl = zero();
    let bare = zero();
    for (let r = 0; r < ROUNDS; r++) {
      plain = add(plain, await botstackRound(server.port, PER_ROUND, false));
      curl = add(curl, await curlRound(server.port, PER_ROUND));
      bare = add(bare, await curlRound(server.port, PER_ROUND, false));
      json = add(json, await botstackRound(server.port, PER_ROUND, true));
    }
    const row = (name: string, c: Cost) =>
      `| ${name} | ${c.n} | ${c.cpuMs.toFixed(0)} | ${per(c).toFixed(3)} | ${(c.wallMs / c.n).toFixed(2)} | ${(per(curl) / per(c)).toFixed(1)}x | ${(per(bare) / per(c)).toFixed(1)}x |`;
    console.log(`node ${process.version}, ${ROUNDS} alternating rounds, ${WARMUP} warm-up probes each excluded\n`);
    console.log('| client | probes | CPU ms total | CPU ms / probe | wall ms / probe | curl loop CPU / this | bare curl CPU / this |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    console.log(row('botstack http probe (status)', plain));
    console.log(row('botstack http probe (status + JSON field)', json));
    console.log(row('bash loop, `code=$(curl -s -o /dev/null -w %{http_code} URL)`', curl));
    console.log(row('bash loop, curl without the $(...) capture', bare));
  } finally {
    server.stop();
  }
}

await main();
