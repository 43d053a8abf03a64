// What redaction costs where it runs on every line (BENCHMARKS.md "Redaction").
//
//   npx tsx scripts/bench-redact.ts [lines=200000] [rounds=7]
//
// 1. The redactor alone (util/redact.ts): lines/s over pm2-stamped log lines,
//    1 in 100 holding a token's prefix, with the 8 secrets of a typical .env.
// 2. `botstack logs --lines N` end to end, in-process (main()), over a log file
//    of N lines, its output thrown away: with the .env's secrets (after) and
//    with an empty .env (before: the redactor is the identity). Same files,
//    alternated per round. --follow prints through the same function per line,
//    so (1) is its cost per line.
// 3. The Python hook (runtime/python/_botstack_redact.py): a print loop of N
//    lines to /dev/null with and without BOTSTACK_REDACT_ENV_FILE set.
// Medians of the rounds; the machine's load is printed with them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import { parseDotenv } from '../src/util/dotenv.js';
import { makeRedactor } from '../src/util/redact.js';
import { secretsOf } from '../src/util/secrets.js';

const LINES = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.argv[3] ?? 7);
const TOKEN = '7412345678:AAHk2xQ9vL_mZpR8tYw3NcD5fGjK1sE0uOb';
const DOTENV = [
  `TELEGRAM_BOT_TOKEN=${TOKEN}`,
  'MONGO_URL=mongodb://bot:s3cr3t-pass-word@127.0.0.1:27017/bot',
  'API_KEY=sk_live_51HxYzAbCdEfGhIjKlMnOpQrStUv',
  'JWT_SECRET=9f8e7d6c5b4a39281706f5e4d3c2b1a0',
  'ADMIN_PASSWORD=hunter2x',
  'PAYMENT_TOKEN=284685063:TEST:NzA3ZTQ2ZjFlNjNh',
  'BOTSTACK_ALERT_TELEGRAM_TOKEN=999888777:AAE-alert-token-for-the-bench',
  'LOG_LEVEL=info',
  '',
].join('\n');

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const perSec = (n: number, ms: number): number => Math.round((n / ms) * 1000);

function logLines(n: number): string[] {
  const words = ['GET /api/users/42 200 12ms', 'update 8123 handled in 0.031 s', 'INFO aiogram.dispatcher: Update id=556677 is handled', 'WARNING retrying mongo ping (2/5)', 'Traceback (most recent call last): File "bot/main.py", line 88'];
  return Array.from({ length: n }, (_, i) => `2026-12-08T00:00:${String(i % 60).padStart(2, '0')}.123+00:00: ${i % 100 === 0 ? `Token used: ${TOKEN.slice(0, 20)}...` : `${words[i % words.length]} #${i}`}`);
}

/** The redactor's own cost per line: lines/s of `redact(line)` alone (a baseline loop without it is optimised away by V8). */
function micro(lines: string[]): { redacted: number } {
  const redact = makeRedactor(secretsOf({ envFile: '', services: [{ secrets: ['TELEGRAM_BOT_TOKEN'] }] }, parseDotenv(DOTENV), {}));
  const red: number[] = [];
  let sink = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    for (const l of lines) sink += redact(l).length;
    red.push(performance.now() - t);
  }
  if (sink === 0) throw new Error('unreachable');
  return { redacted: perSec(lines.length, median(red)) };
}

async function endToEnd(lines: string[]): Promise<{ before: number; after: number }> {
  const root = mkdtempSync(join(tmpdir(), 'botstack-bench-redact-'));
  try {
    writeFileSync(join(root, 'bot.out.log'), lines.join('\n') + '\n');
    writeFileSync(join(root, 'stack.config.mjs'), `export default { name: 'bench', root: '.', services: [{ name: 'bot', kind: 'command', command: '/bin/true', secrets: ['TELEGRAM_BOT_TOKEN'], logs: { dir: '.' } }] };\n`);
    const run = async (dotenv: string): Promise<number> => {
      writeFileSync(join(root, '.env'), dotenv);
      let err = '';
      const io = { stdout: { write: () => true }, stderr: { write: (t: string) => ((err += t), true) }, env: { PM2_HOME: join(root, 'no-pm2') }, cwd: root };
      const t = performance.now();
      const code = await main(['logs', 'bot', '--lines', String(lines.length), '--config', 'stack.config.mjs'], io);
      if (code !== 0) throw new Error(`botstack logs exited ${code}: ${err}`);
      return performance.now() - t;
    };
    const before: number[] = [];
    const after: number[] = [];
    await run(DOTENV); // warm-up: the first run loads the CLI's modules
    for (let r = 0; r < ROUNDS; r++) {
      before.push(await run(''));
      after.push(await run(DOTENV));
    }
    return { before: perSec(lines.length, median(before)), after: perSec(lines.length, median(after)) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function python(n: number): { plain: number; redacted: number } {
  const root = mkdtempSync(join(tmpdir(), 'botstack-bench-redact-py-'));
  try {
    writeFileSync(join(root, '.env'), DOTENV);
    const program = `import sys, time\nt = time.perf_counter()\nfor i in range(${n}):\n    print("INFO aiogram.dispatcher: Update id=%d is handled in 0.031 s" % i)\nsys.stdout.flush()\nsys.stderr.write("%f\\n" % (time.perf_counter() - t))`;
    const pythonPath = join(import.meta.dirname, '..', 'runtime', 'python');
    const hooked = (redact: boolean): number => {
      const env = { ...process.env, PYTHONPATH: pythonPath, ...(redact ? { BOTSTACK_REDACT_ENV_FILE: join(root, '.env'), BOTSTACK_REDACT_KEYS: 'TELEGRAM_BOT_TOKEN' } : {}) };
      const r = spawnSync('python3', ['-c', program], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      if (r.status !== 0) throw new Error(`python3 exited ${String(r.status)}: ${r.stderr.toString()}`);
      return Number(r.stderr.toString().trim().split('\n').pop()) * 1000;
    };
    const plain: number[] = [];
    const red: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      plain.push(hooked(false));
      red.push(hooked(true));
    }
    return { plain: perSec(n, median(plain)), redacted: perSec(n, median(red)) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const lines = logLines(LINES);
const load0 = loadavg()[0]!.toFixed(2);
const m = micro(lines);
console.log(`redactor alone, ${LINES} lines x ${ROUNDS} rounds: ${m.redacted.toLocaleString('en')} lines/s (${(1e6 / m.redacted).toFixed(2)} µs a line)`);
const e = await endToEnd(lines);
console.log(`botstack logs --lines ${LINES}: before (no secrets) ${e.before.toLocaleString('en')} lines/s, after (8 secrets) ${e.after.toLocaleString('en')} lines/s`);
const p = python(Math.min(LINES, 100_000));
console.log(`python hook, ${Math.min(LINES, 100_000)} prints: plain ${p.plain.toLocaleString('en')} lines/s, redacted ${p.redacted.toLocaleString('en')} lines/s`);
console.log(`load average (1 min) ${load0} at start, ${loadavg()[0]!.toFixed(2)} at end; ${String(process.env.BENCH_NOTE ?? 'shared machine')}`);
