import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { health, startBenchStack, tail, waitHealthy, type BenchStack } from '../../scripts/bench-monitor-harness.js';
import type { AlertEvent } from '../../src/alerts/types.js';
import type { WebhookPayload } from '../../src/alerts/webhook.js';
import { waitFor } from '../../src/util/timeout.js';
import { Cleanup } from '../helpers/cleanup.js';
import { fakeAlertServer, telegramTexts, type FakeAlertServer } from '../helpers/fake-alert-server.js';
import { REPO } from '../helpers/project.js';

// Alerts from the monitor as pm2 runs it (dist/: build first), on the fixture
// stack with real uvicorn, a crash-looping extra service, and a local server
// standing in for both the Bot API and a webhook receiver. The webhook's JSON
// carries the events, so counts are exact; Telegram gets the same text.

const run = promisify(execFile);
const PM2_BIN = join(REPO, 'node_modules', '.bin', 'pm2');
const TOKEN = '555666777:AAE-integration-alert-token_q9';
const SERVICES = ['mongod', 'api', 'web', 'bot'];

const events = (srv: FakeAlertServer): AlertEvent[] => srv.requests.filter((r) => r.path === '/hook').flatMap((r) => (JSON.parse(r.body) as WebhookPayload).events);
const count = (srv: FakeAlertServer, service: string | null, kind: string) => events(srv).filter((e) => e.service === service && e.kind === kind).length;
const until = (what: string, pred: () => boolean, timeoutMs = 60_000) => waitFor(what, () => (pred() ? true : undefined), { timeoutMs, intervalMs: 200 });

function pm2Cli(home: string, args: string[]) {
  // pm2 loaded in this process marks the environment programmatic/silent; the CLI must not inherit that.
  const { PM2_PROGRAMMATIC: _p, PM2_SILENT: _s, ...parent } = process.env;
  return run(PM2_BIN, args, { env: { ...parent, PM2_HOME: home }, timeout: 60_000, maxBuffer: 32 * 2 ** 20 });
}

/** Every regular file under `dir`, a few levels down. */
function filesUnder(dir: string, depth = 3): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return depth > 0 ? filesUnder(p, depth - 1) : [];
    return e.isFile() && statSync(p).size < 64 * 2 ** 20 ? [p] : [];
  });
}

describe('alerts from the monitor (real pm2, real uvicorn, a local Bot API and webhook)', () => {
  const cleanup = new Cleanup();
  let b: BenchStack;
  let srv: FakeAlertServer;
  beforeAll(async () => {
    srv = await fakeAlertServer(cleanup);
    // The first sendMessage fails with an error that echoes its URL, token and all: it must reach the log scrubbed.
    srv.script((req) => ({ status: 500, body: { ok: false, error_code: 500, description: `Internal Server Error at ${req.path}` } }));
    b = await startBenchStack({
      cleanup,
      edit: (input) => {
        // How an operator sets alerts up: lines in <root>/.env, nothing in the stack file or pm2's env.
        appendFileSync(join(input.root!, '.env'), [
          `BOTSTACK_ALERT_TELEGRAM_TOKEN=${TOKEN}`,
          'BOTSTACK_ALERT_TELEGRAM_CHAT=-1001234567890',
          `BOTSTACK_ALERT_TELEGRAM_API=${srv.url}`,
          `BOTSTACK_ALERT_WEBHOOK=${srv.url}/hook`,
          'BOTSTACK_ALERT_WEBHOOK_SECRET=whsec-integration',
          // Every filesystem is "low": the disk alert fires once, and only once.
          'BOTSTACK_ALERT_DISK_MIN_FREE=100%',
          '',
        ].join('\n'));
        (input.services as unknown[]).push({ name: 'flaky', kind: 'command', command: process.execPath, args: ['-e', 'setTimeout(() => process.exit(3), 1200)'] });
      },
    });
  }, 180_000);
  afterAll(() => cleanup.run());

  it('alerts are on, from .env; a crash loop gives one crash-looping and one given-up; low disk once', async () => {
    const mon = await b.d.proc('monitor');
    await until('alerts on', () => tail(mon.outFile, 400).includes('alerts: on, to telegram (chat -1001234567890, token from .env) and a webhook'), 30_000);
    await waitFor('flaky given up', async () => ((await health(b.d))?.services.flaky?.state === 'given-up' ? true : undefined), { timeoutMs: 90_000, intervalMs: 500 });
    await until('given-up delivered', () => count(srv, 'flaky', 'given-up') === 1);
    await until('low disk delivered', () => count(srv, null, 'low-disk') === 1);
    expect(count(srv, 'flaky', 'crash-looping')).toBe(1);
    const givenUp = events(srv).find((e) => e.kind === 'given-up')!;
    expect(givenUp.detail).toContain('crash loop');
    expect(givenUp.next).toBe('botstack logs flaky --errors, then botstack restart flaky');
    // Telegram got the same, as text (alone or in a digest).
    await until('telegram has it', () => telegramTexts(srv).some((t) => t.includes('flaky GIVEN UP')));
  }, 150_000);

  it('a hung api (SIGSTOP): exactly one "unhealthy" and one "recovered", nothing for its blocked dependents', async () => {
    // The api runs under the socket holder: what hangs is its uvicorn, the holder's child (docs/zero-downtime.md).
    const state = JSON.parse(readFileSync(join(b.root, 'logs', 'sockhold', 'api', 'state.json'), 'utf8')) as { child: number };
    const api = { pid: state.child };
    process.kill(api.pid, 'SIGSTOP');
    cleanup.add(() => {
      try {
        process.kill(api.pid, 'SIGCONT');
      } catch {
        /* gone: the monitor had it killed */
      }
    });
    await until('api recovered', () => count(srv, 'api', 'recovered') === 1, 90_000);
    await waitHealthy(b.d, 60_000, SERVICES);
    expect(count(srv, 'api', 'unhealthy')).toBe(1);
    for (const n of ['web', 'bot', 'mongod']) expect(events(srv).filter((e) => e.service === n)).toEqual([]);
    const recovered = events(srv).find((e) => e.service === 'api' && e.kind === 'recovered')!;
    expect(recovered.detail).toMatch(/^healthy again after \d+ s; the monitor restarted it 1 time$/);
    await until('telegram has both', () => telegramTexts(srv).join('\n').includes('api RECOVERED'));
    const text = telegramTexts(srv).find((t) => t.startsWith('api UNHEALTHY'));
    if (text) expect(text).toMatch(new RegExp(`^api UNHEALTHY: stack test-bot on ${hostname()}\\nstate: (unhealthy|healing)\\n.+\\nnext: botstack logs api --errors\\nat \\d\\d:\\d\\d:\\d\\d UTC$`));
    else expect(telegramTexts(srv).join('\n')).toContain('- api UNHEALTHY: ');
  }, 150_000);

  it('the monitor restarted by pm2 says so; the api incident is not repeated', async () => {
    const mon = await b.d.proc('monitor');
    await b.d.client.signalId('SIGKILL', mon.pmId);
    await until('monitor-restarted delivered', () => count(srv, 'monitor', 'monitor-restarted') === 1, 90_000);
    expect(events(srv).find((e) => e.kind === 'monitor-restarted')!.detail).toBe('pm2 restarted the monitor (restart #1); it rebuilt its view from pm2 and restarted no one');
    await waitHealthy(b.d, 60_000, SERVICES);
    expect(count(srv, 'api', 'unhealthy')).toBe(1);
    expect(count(srv, 'api', 'recovered')).toBe(1);
  }, 150_000);

  it('every webhook request is signed; the token is in no log, not in pm2 show, jlist or dump.pm2', async () => {
    const { createHmac } = await import('node:crypto');
    for (const r of srv.requests.filter((q) => q.path === '/hook')) {
      expect(r.headers['x-botstack-signature']).toBe(`sha256=${createHmac('sha256', 'whsec-integration').update(r.body).digest('hex')}`);
    }
    // The first sendMessage got a 500 naming its URL: the monitor logged it, scrubbed.
    const mon = await b.d.proc('monitor');
    expect(readFileSync(mon.outFile!, 'utf8')).toContain('alerts: telegram: HTTP 500: Internal Server Error at /bot…/sendMessage; retrying in 1 s');
    await pm2Cli(b.d.home, ['save']);
    const show = await pm2Cli(b.d.home, ['show', 'monitor']);
    const jlist = await pm2Cli(b.d.home, ['jlist']);
    const envOut = await pm2Cli(b.d.home, ['env', String(mon.pmId)]);
    const files = [...filesUnder(join(b.root, 'logs')), ...filesUnder(b.d.home)].filter((f) => !f.endsWith('.sock') && !f.endsWith('.pid'));
    expect(files).toEqual(expect.arrayContaining([join(b.d.home, 'dump.pm2'), join(b.d.home, 'pm2.log'), mon.outFile, mon.errFile]));
    const found = files.filter((f) => readFileSync(f, 'latin1').includes(TOKEN));
    expect(found).toEqual([]);
    expect(show.stdout).toContain('services healthy');
    // `pm2 env <id>` prints the app's whole environment: the stack is there, the token is not.
    expect(envOut.stdout).toContain('BOTSTACK_STACK');
    expect(jlist.stdout).toContain('BOTSTACK_STACK');
    for (const out of [show, jlist, envOut]) expect(out.stdout + out.stderr).not.toContain(TOKEN);
    // Control: the search would have found it, and the token really was used.
    expect(readFileSync(join(b.root, '.env'), 'latin1')).toContain(TOKEN);
    expect(srv.requests.some((r) => r.path === `/bot${TOKEN}/sendMessage`)).toBe(true);
  }, 120_000);
});
