import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../src/alerts/types.js';
import { main } from '../../src/cli/main.js';
import type { WebhookPayload } from '../../src/alerts/webhook.js';
import { probeFor } from '../../src/probes/index.js';
import type { Pm2App } from '../../src/stack/compile.js';
import type { StackInput } from '../../src/stack/schema.js';
import type { Stack } from '../../src/stack/types.js';
import { waitFor } from '../../src/util/timeout.js';
import { Cleanup } from '../helpers/cleanup.js';
import { fakeAlertServer, telegramTexts, type FakeAlertServer } from '../helpers/fake-alert-server.js';
import { startPm2, type TestDaemon } from '../helpers/pm2.js';
import { freePorts } from '../helpers/ports.js';
import { REPO } from '../helpers/project.js';
import { compileStack, mustLoad } from '../helpers/stack.js';
import { makeVenv } from '../helpers/venv.js';

// A service that prints its own token (whole, its 20-character prefix, split
// over two prints) and quotes it in its health answer, under real pm2 with a
// real monitor (dist/: build first) alerting a fake Bot API and webhook on
// loopback. `leaky` runs as botstack compiles it (redactLogs on: it declares a
// secret); `leakyraw` is the control, the same service with `redactLogs: false`.
// `botstack logs` runs in-process (main()) on the stack file.

const TOKEN = '7412345678:AAHk2xQ9vL_mZpR8tYw3NcD5fGjK1sE0uOb';
const LEAKY = join(REPO, 'test', 'fixtures', 'redact', 'leaky.py');
const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d: /;

/** Every 12-character run of the token found in `text`: empty means nothing of it leaked. */
export function leaks(text: string, secret = TOKEN): string[] {
  const found: string[] = [];
  for (let i = 0; i + 12 <= secret.length; i++) if (text.includes(secret.slice(i, i + 12))) found.push(secret.slice(i, i + 12));
  return found;
}

const bodies = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => l.replace(STAMP, ''));
const hookEvents = (srv: FakeAlertServer): AlertEvent[] => srv.requests.filter((r) => r.path === '/hook').flatMap((r) => (JSON.parse(r.body) as WebhookPayload).events);

describe('secrets a service prints (real pm2, a real monitor, a fake Bot API)', () => {
  const cleanup = new Cleanup();
  let d: TestDaemon;
  let srv: FakeAlertServer;
  let stack: Stack;
  let root: string;

  beforeAll(async () => {
    srv = await fakeAlertServer(cleanup);
    root = mkdtempSync(join(tmpdir(), 'botstack-leaks-'));
    cleanup.add(() => rmSync(root, { recursive: true, force: true }));
    makeVenv(join(root, 'venv'));
    writeFileSync(join(root, '.env'), [
      `BOT_TOKEN=${TOKEN}`,
      'BOTSTACK_ALERT_TELEGRAM_TOKEN=999888777:AAE-alert-token-for-the-leak-test',
      'BOTSTACK_ALERT_TELEGRAM_CHAT=-1001234567890',
      `BOTSTACK_ALERT_TELEGRAM_API=${srv.url}`,
      `BOTSTACK_ALERT_WEBHOOK=${srv.url}/hook`,
      'BOTSTACK_ALERT_DISK_MIN_FREE=off',
      '',
    ].join('\n'));
    chmodSync(join(root, '.env'), 0o600);
    const [a, b] = await freePorts(2);
    const leaky = (name: string, port: number) => ({
      name, kind: 'python' as const, script: LEAKY, port, env: { PORT: String(port) }, secrets: ['BOT_TOKEN'],
      health: { type: 'http' as const, path: '/health', expectJson: { field: 'status', equals: 'ok' }, failureThreshold: 1, startGrace: '1s' },
    });
    const input: StackInput = { name: 'leaks', root, services: [leaky('leaky', a!), { ...leaky('leakyraw', b!), redactLogs: false }, { name: 'monitor', kind: 'monitor' }] };
    writeFileSync(join(root, 'stack.config.mjs'), `export default ${JSON.stringify(input, null, 2)};\n`);
    stack = mustLoad(input);
    const apps: Pm2App[] = compileStack(stack).map((app) => (app.name === 'monitor' ? { ...app, env: { ...app.env, BOTSTACK_MONITOR_POLICY: JSON.stringify({ maxHeals: 0 }) } } : app));
    expect(apps.find((p) => p.name === 'leaky')!.env).toMatchObject({ BOTSTACK_REDACT_KEYS: 'BOT_TOKEN', BOTSTACK_REDACT_ENV_FILE: join(root, '.env') });
    expect(apps.find((p) => p.name === 'leakyraw')!.env).not.toHaveProperty('BOTSTACK_REDACT_KEYS');
    d = await startPm2(cleanup);
    await d.client.start(apps);
  }, 120_000);
  afterAll(() => cleanup.run());

  const printed = (name: string) => waitFor(`${name} printed`, () => (readFileSync(join(root, 'logs', `${name}.out.log`), 'utf8').includes('printed') ? true : undefined), { timeoutMs: 60_000, intervalMs: 100 });

  it('with redactLogs (the default for a service with secrets), the log files never hold any 12 characters of it; control: without, they hold all of it', async () => {
    await printed('leaky');
    await printed('leakyraw');
    const out = bodies(join(root, 'logs', 'leaky.out.log'));
    expect(out.slice(0, 4)).toEqual(['whole token: [redacted:BOT_TOKEN]', 'Token used: [redacted:BOT_TOKEN]...', 'split: [redacted:BOT_TOKEN] (end)', 'printed']);
    expect(bodies(join(root, 'logs', 'leaky.err.log'))[0]).toBe('ERROR token check failed, Token used: [redacted:BOT_TOKEN]...');
    for (const f of ['leaky.out.log', 'leaky.err.log']) expect(leaks(readFileSync(join(root, 'logs', f), 'utf8'))).toEqual([]);
    // Control: the same service, the same prints, no redaction.
    const raw = bodies(join(root, 'logs', 'leakyraw.out.log'));
    expect(raw.slice(0, 2)).toEqual([`whole token: ${TOKEN}`, `Token used: ${TOKEN.slice(0, 20)}...`]);
    // Unredacted, the flushed first half of the split print is a chunk without a newline, which pm2 drops
    // (sitecustomize.py's note on whole lines); the second half lands as a line of its own.
    expect(raw).toContain(`${TOKEN.slice(17)} (end)`);
    expect(readFileSync(join(root, 'logs', 'leakyraw.err.log'), 'utf8')).toContain(TOKEN.slice(0, 20));
  }, 90_000);

  it("alerts that quote the probe's failure reach the Bot API and the webhook redacted; control: the probe's own words hold the prefix", async () => {
    await waitFor('both given up, delivered', () => (['leaky', 'leakyraw'].every((n) => hookEvents(srv).some((e) => e.service === n && e.kind === 'given-up')) ? true : undefined), { timeoutMs: 90_000, intervalMs: 200 });
    const details = hookEvents(srv).filter((e) => e.service === 'leaky').map((e) => e.detail);
    expect(details).toEqual(expect.arrayContaining([expect.stringContaining('field status is "Token used: [redacted:BOT_TOKEN]..."')]));
    await waitFor('telegram got them', () => (telegramTexts(srv).join('\n').includes('leakyraw') ? true : undefined), { timeoutMs: 30_000, intervalMs: 200 });
    for (const r of srv.requests) expect({ path: r.path, leaks: leaks(r.body) }).toEqual({ path: r.path, leaks: [] });
    expect(telegramTexts(srv).join('\n')).toContain('[redacted:BOT_TOKEN]');
    // Control: what the alert is made from, unredacted.
    const p = probeFor(stack.services.find((s) => s.name === 'leaky')!)!;
    const r = await p.probe(new AbortController().signal);
    await p.close();
    expect(r.ok ? '' : r.reason).toContain(TOKEN.slice(0, 20));
    // The monitor's own log (its state changes quote the probe too) and its report are redacted.
    const monitorLog = readFileSync(join(root, 'logs', 'monitor.out.log'), 'utf8');
    expect(leaks(monitorLog)).toEqual([]);
    expect(monitorLog).toContain('field status is "Token used: [redacted:BOT_TOKEN]..."');
    const report = await d.client.trigger('monitor', 'health', undefined, 5000);
    expect(JSON.stringify(report)).toContain('[redacted:BOT_TOKEN]');
    expect(leaks(JSON.stringify(report))).toEqual([]);
  }, 150_000);

  /** `botstack <args>` in-process, against the stack file; no pm2 daemon at PM2_HOME, so the stack's log paths are read. */
  async function cli(args: string[], signal?: AbortSignal) {
    const out = { stdout: '', stderr: '' };
    const io = {
      stdout: { write: (t: string) => ((out.stdout += t), true) }, stderr: { write: (t: string) => ((out.stderr += t), true) },
      env: { PM2_HOME: join(root, 'no-pm2-here') }, cwd: root, ...(signal ? { signal } : {}),
    };
    const code = await main([...args, '--config', join(root, 'stack.config.mjs')], io);
    return { code, ...out };
  }

  it('botstack logs, in every mode, shows none of it, even from the control whose files hold it all', async () => {
    await printed('leakyraw');
    const raw = readFileSync(join(root, 'logs', 'leakyraw.out.log'), 'utf8') + readFileSync(join(root, 'logs', 'leakyraw.err.log'), 'utf8');
    expect(leaks(raw).length).toBeGreaterThan(0); // control: the file holds it
    const runs = [['logs', 'leakyraw'], ['logs'], ['logs', 'leakyraw', '--errors'], ['logs', 'leakyraw', '--errors', '--json'], ['logs', 'leakyraw', '--json'], ['logs', 'leakyraw', '--since', '1h'], ['logs', 'leakyraw', '--lines', '3']];
    for (const args of runs) {
      const r = await cli(args);
      expect({ args, leaks: leaks(r.stdout + r.stderr) }).toEqual({ args, leaks: [] });
    }
    expect((await cli(['logs', 'leakyraw'])).stdout).toMatch(/^leakyraw\| \S+: whole token: \[redacted:BOT_TOKEN\]$/m);
    expect((await cli(['logs', 'leakyraw', '--errors'])).stdout).toMatch(/leakyraw! \S+: ERROR token check failed, Token used: \[redacted:BOT_TOKEN\]\.\.\.$/m);
    // --follow: the lines a restart prints, as they come.
    const stop = new AbortController();
    let followed = '';
    const io = { stdout: { write: (t: string) => ((followed += t), true) }, stderr: { write: () => true }, env: { PM2_HOME: join(root, 'no-pm2-here') }, cwd: root, signal: stop.signal };
    const following = main(['logs', 'leakyraw', '--follow', '--config', join(root, 'stack.config.mjs')], io);
    const whole = () => followed.split('\n').filter((l) => /^leakyraw\| \S+: whole token: \[redacted:BOT_TOKEN\]$/.test(l)).length;
    await waitFor('the tail printed', () => (whole() >= 1 ? true : undefined), { timeoutMs: 10_000, intervalMs: 50 });
    await d.client.restart('leakyraw', 30_000);
    await waitFor('the restart\'s lines followed', () => (whole() >= 2 && followed.includes('printed', followed.lastIndexOf('whole token')) ? true : undefined), { timeoutMs: 30_000, intervalMs: 100 });
    stop.abort();
    expect(await following).toBe(0);
    expect(leaks(followed)).toEqual([]);
  }, 120_000);
});
