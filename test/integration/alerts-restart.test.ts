import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { health, startBenchStack, tail, type BenchStack } from '../../scripts/bench-monitor-harness.js';
import { JOURNAL_FILE } from '../../src/alerts/journal-owner.js';
import type { JournalState } from '../../src/alerts/journal.js';
import type { AlertEvent } from '../../src/alerts/types.js';
import type { WebhookPayload } from '../../src/alerts/webhook.js';
import { waitFor } from '../../src/util/timeout.js';
import { Cleanup } from '../helpers/cleanup.js';
import { fakeAlertServer, type FakeAlertServer, type Recorded } from '../helpers/fake-alert-server.js';

// Alerts across monitor restarts, under real pm2 with a real monitor (dist/:
// build first) and a fake webhook receiver on loopback (its JSON carries the
// events, so counts are exact). The monitor never heals here (maxHeals 0):
// api stays down until the test restarts it, as an operator would.

const until = (what: string, pred: () => boolean, timeoutMs = 60_000) => waitFor(what, () => (pred() ? true : undefined), { timeoutMs, intervalMs: 200 });
const eventsOf = (rs: readonly Recorded[]): AlertEvent[] => rs.filter((r) => r.path === '/hook').flatMap((r) => (JSON.parse(r.body) as WebhookPayload).events);

describe('alerts across monitor restarts (real pm2, a real monitor, a fake webhook)', () => {
  const cleanup = new Cleanup();
  let b: BenchStack;
  let srv: FakeAlertServer;
  /** Requests answered 200: what was delivered. */
  const delivered: Recorded[] = [];
  let refusing = false;
  const count = (service: string, kind: string) => eventsOf(delivered).filter((e) => e.service === service && e.kind === kind).length;
  const monitorLog = () => tail(join(b.root, 'logs', 'monitor.out.log'), 400);
  const logLines = () => readFileSync(join(b.root, 'logs', 'monitor.out.log'), 'utf8').split('\n');
  const apiState = async () => (await health(b.d))?.services.api?.state;

  beforeAll(async () => {
    srv = await fakeAlertServer(cleanup);
    // Every request answers from `refusing`: 429 (with a Retry-After longer than any stop waits) or 200.
    srv.script(...Array.from({ length: 5000 }, () => (req: Recorded) => {
      if (refusing) return { status: 429, headers: { 'retry-after': '30' }, body: { error: 'slow down' } };
      delivered.push(req);
      return { status: 200, body: { ok: true } };
    }));
    b = await startBenchStack({
      cleanup,
      edit: (input) => {
        appendFileSync(join(input.root!, '.env'), [`BOTSTACK_ALERT_WEBHOOK=${srv.url}/hook`, 'BOTSTACK_ALERT_DISK_MIN_FREE=off', ''].join('\n'));
      },
      editApps: (apps) => {
        const mon = apps.find((a) => a.name === 'monitor')!;
        (mon as { env: Record<string, string> }).env = { ...mon.env, BOTSTACK_MONITOR_POLICY: JSON.stringify({ maxHeals: 0 }) };
      },
    });
    await until('alerts on', () => monitorLog().includes('alerts: on, to a webhook'), 30_000);
  }, 180_000);
  afterAll(() => cleanup.run());

  const failApi = () => fetch(`http://127.0.0.1:${b.ports.api}/control/fail`, { method: 'POST' });
  const apiFailingSeenByNewMonitor = () => waitFor('the new monitor sees api down', async () => (['unhealthy', 'given-up'].includes((await apiState()) ?? '') ? true : undefined), { timeoutMs: 60_000, intervalMs: 250 });

  it('SIGKILL the monitor while api is down: no second "unhealthy" after it comes back, one "recovered" once api is back; control: without the journal it is announced again', async () => {
    await failApi();
    await until('api unhealthy delivered', () => count('api', 'unhealthy') === 1 && count('api', 'given-up') === 1);
    const mon = await b.d.proc('monitor');
    process.kill(mon.pid, 'SIGKILL');
    await b.d.until('monitor back', (l) => l.some((p) => p.name === 'monitor' && p.status === 'online' && p.pid > 0 && p.pid !== mon.pid), 60_000);
    await until('monitor-restarted delivered', () => count('monitor', 'monitor-restarted') === 1);
    await apiFailingSeenByNewMonitor();
    expect(monitorLog()).toContain('alerts: still open from before the restart, not announced again: api');
    // Facts after the new monitor's settles: its restart message went out after them, and api is seen down.
    expect(count('api', 'unhealthy')).toBe(1);
    expect(count('api', 'given-up')).toBe(1);
    await b.d.client.restart('api', 30_000);
    await until('api recovered delivered', () => count('api', 'recovered') === 1);
    await waitFor('api healthy', async () => ((await apiState()) === 'healthy' ? true : undefined), { timeoutMs: 30_000, intervalMs: 250 });
    expect(count('api', 'recovered')).toBe(1);
    expect(count('api', 'unhealthy')).toBe(1);

    // Control: a new incident, then a monitor restart with its journal deleted: the incident is announced again.
    await failApi();
    await until('second incident delivered', () => count('api', 'unhealthy') === 2);
    await b.d.client.stop('monitor', 30_000);
    rmSync(join(b.d.home, JOURNAL_FILE), { force: true });
    await b.d.client.restart('monitor', 30_000);
    await until('control: announced again', () => count('api', 'unhealthy') === 3, 60_000);
    await b.d.client.restart('api', 30_000);
    await until('recovered', () => count('api', 'recovered') === 2);
  }, 240_000);

  it('stopped with three alerts queued (the receiver answering 429): all three delivered by the next start, none twice', async () => {
    refusing = true;
    const before = delivered.length;
    const logAt = logLines().length;
    const logged = (re: RegExp) => logLines().slice(logAt).some((l) => re.test(l));
    await failApi(); // unhealthy, given-up
    await until('two api events raised', () => logged(/ alerts: api unhealthy: /) && logged(/ alerts: api given-up: /));
    await until('refused once', () => logged(/ alerts: webhook: HTTP 429/));
    await b.d.client.restart('api', 30_000); // recovered: the third
    await until('third raised', () => logged(/ alerts: api recovered: /));
    const mon = await b.d.proc('monitor');
    await b.d.client.stop('monitor', 30_000);
    // The stop delivered for its ~3 s and exited by itself, inside kill_timeout: pm2 did not have to kill it.
    await until('monitor stopped', () => monitorLog().includes('monitor: SIGINT, stopping'));
    expect(readFileSync(join(b.d.home, 'pm2.log'), 'utf8')).not.toContain(`Process with pid ${mon.pid} still alive after`);
    const journal = JSON.parse(readFileSync(join(b.d.home, JOURNAL_FILE), 'utf8')) as JournalState;
    const queued = (journal.queues.webhook ?? []).flatMap((m) => m.events).map((e) => `${e.service}:${e.kind}`);
    expect(queued).toEqual(expect.arrayContaining(['api:unhealthy', 'api:given-up', 'api:recovered']));
    expect(delivered.length).toBe(before);
    refusing = false;
    await b.d.client.restart('monitor', 30_000);
    await until('all three delivered', () => ['unhealthy', 'given-up', 'recovered'].every((k) => eventsOf(delivered.slice(before)).some((e) => e.service === 'api' && e.kind === k)));
    await until('journal empty', () => existsSync(join(b.d.home, JOURNAL_FILE)) && (JSON.parse(readFileSync(join(b.d.home, JOURNAL_FILE), 'utf8')) as JournalState).queues.webhook?.length === 0);
    const after = eventsOf(delivered.slice(before)).filter((e) => e.service === 'api').map((e) => `${e.kind}@${e.at}`);
    expect(after.length).toBe(3);
    expect(new Set(after).size).toBe(3);
  }, 240_000);
});
