import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonLink } from '../../src/pm2/daemon-link.js';
import type { ProcessEvent } from '../../src/pm2/types.js';
import type { Pm2App } from '../../src/stack/compile.js';
import { waitFor } from '../../src/util/timeout.js';
import { Cleanup } from '../helpers/cleanup.js';
import { startPm2, type TestDaemon } from '../helpers/pm2.js';

// The monitor's own pm2 link against a real daemon: the same answers as pm2's
// client, the same events on the bus, and bus messages nobody subscribed to
// (every app's log lines) left unparsed.

const cleanup = new Cleanup();
let d: TestDaemon;
let link: DaemonLink;

beforeAll(async () => {
  d = await startPm2(cleanup);
  const dir = mkdtempSync(join(tmpdir(), 'botstack-link-'));
  writeFileSync(join(dir, 'chatty.cjs'), "setInterval(() => console.log('chatty-line ' + Date.now()), 10);\n");
  writeFileSync(join(dir, 'idle.cjs'), 'setInterval(() => {}, 1000);\n');
  const app = (name: string) => ({ name, script: join(dir, `${name}.cjs`), autorestart: true, watch: false }) as unknown as Pm2App;
  await d.client.start([app('chatty'), app('idle')]);
  await d.until('both online', (l) => l.length === 2 && l.every((p) => p.status === 'online' && p.pid > 0));
  link = await DaemonLink.connect({ home: d.home, timeoutMs: 10_000 });
  cleanup.add(() => link.disconnect());
}, 60_000);

afterAll(() => cleanup.run(), 120_000);

const events: ProcessEvent[] = [];

describe('DaemonLink (real pm2 daemon)', () => {
  it('lists what pm2 lists', async () => {
    const mine = (await link.list()).map((p) => [p.name, p.pmId, p.pid, p.status]);
    const theirs = (await d.client.list()).map((p) => [p.name, p.pmId, p.pid, p.status]);
    expect(mine).toEqual(theirs);
  });

  it('restarts by name, and the bus shows the exit and the manual restart', async () => {
    const bus = await link.bus();
    bus.onProcessEvent((e) => events.push(e));
    const before = await d.proc('idle');
    await link.restart('idle');
    const after = await d.until('idle back with a new pid', (l) => l.some((p) => p.name === 'idle' && p.status === 'online' && p.pid !== before.pid));
    expect(after.find((p) => p.name === 'idle')!.restarts).toBe(before.restarts + 1);
    await waitFor('exit, online and the manual restart on the bus', () => {
      const seen = events.filter((e) => e.name === 'idle').map((e) => `${e.event}${e.manually ? '*' : ''}`);
      return seen.includes('exit') && seen.includes('online') && seen.includes('restart*') ? true : undefined;
    }, { timeoutMs: 10_000, intervalMs: 20 });
  });

  it('signals one pm_id, and stops by name', async () => {
    const chatty = await d.proc('chatty');
    await link.signalId('SIGKILL', chatty.pmId);
    await d.until('chatty respawned by pm2', (l) => l.some((p) => p.name === 'chatty' && p.status === 'online' && p.pid > 0 && p.pid !== chatty.pid));
    await link.stop('idle');
    await d.until('idle stopped', (l) => l.some((p) => p.name === 'idle' && p.status === 'stopped'));
    await expect(link.restart('nope')).rejects.toMatchObject({ code: 'PM2_NOT_FOUND', message: 'pm2 restart nope: no pm2 app named "nope"' });
  });

  it('leaves unsubscribed bus messages unparsed (control: a log subscriber parses them)', async () => {
    const parse = JSON.parse;
    let parsedLogLines = 0;
    JSON.parse = ((text: string, reviver?: (k: string, v: unknown) => unknown) => {
      if (typeof text === 'string' && text.includes('chatty-line')) parsedLogLines++;
      return parse(text, reviver);
    }) as typeof JSON.parse;
    try {
      const bus = await link.bus();
      // Only process events are subscribed: chatty's ~100 lines/s go by unparsed.
      const seen = link.busStats.received - link.busStats.parsed;
      await waitFor('50 more bus messages skipped', () => (link.busStats.received - link.busStats.parsed >= seen + 50 ? true : undefined), { timeoutMs: 10_000, intervalMs: 20 });
      expect(parsedLogLines).toBe(0);
      const lines: string[] = [];
      const off = bus.onRaw('log:out', (p) => lines.push(String(p.data)));
      await waitFor('log lines delivered to a subscriber', () => (lines.length >= 5 ? true : undefined), { timeoutMs: 10_000, intervalMs: 20 });
      off();
      expect(lines[0]).toMatch(/^chatty-line \d+/);
      expect(parsedLogLines).toBeGreaterThanOrEqual(5);
    } finally {
      JSON.parse = parse;
    }
  });

  it('with busDrainMs, reads the bus in one batch per period and still delivers every event (control: live reading)', async () => {
    const batched = await DaemonLink.connect({ home: d.home, timeoutMs: 10_000, busDrainMs: 500 });
    cleanup.add(() => batched.disconnect());
    const events: ProcessEvent[] = [];
    (await batched.bus()).onProcessEvent((e) => events.push(e));
    const live = { ...link.busStats };
    const start = { ...batched.busStats };
    // chatty logs ~100 lines a second: wait for 150 of them to reach the batched link.
    await waitFor('150 log lines through the batched link', () => (batched.busStats.received - start.received >= 150 ? true : undefined), { timeoutMs: 15_000, intervalMs: 20 });
    const batchedReads = batched.busStats.reads - start.reads;
    const liveReads = link.busStats.reads - live.reads;
    // ~1.5 s at one drain per 500 ms: a handful of reads, against one per line or so live.
    expect(batchedReads).toBeLessThanOrEqual(8);
    expect(liveReads).toBeGreaterThanOrEqual(50);
    // Events still arrive, at most one period late.
    await batched.restart('chatty');
    await waitFor('the manual restart through the batched bus', () => (events.some((e) => e.name === 'chatty' && e.event === 'restart' && e.manually) ? true : undefined), { timeoutMs: 10_000, intervalMs: 20 });
  });

  it('fails fast, naming the socket, where no daemon runs', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'botstack-nodaemon-'));
    await expect(DaemonLink.connect({ home: empty, timeoutMs: 2000 })).rejects.toMatchObject({ code: 'PM2_UNREACHABLE', message: expect.stringContaining(join(empty, 'rpc.sock')) });
  });
});
