import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createHook } from 'node:async_hooks';
import { MongoClient } from 'mongodb';
import { MongoProbe, POOL_CHECK_MS } from '../../../src/probes/mongo.js';
import { waitFor } from '../../../src/util/timeout.js';
import type { ProbeResult } from '../../../src/probes/types.js';
import { freePort } from '../../helpers/ports.js';
import { REPO } from '../../helpers/project.js';
import { expectNoLeaks, resourceCounts } from './helpers/leaks.js';
import { startStandin } from './helpers/standin.js';

// Against demo/mongod-standin.mjs through the real `mongodb` driver.

const TIMEOUT = 500;
const never = new AbortController().signal;

function probeOn(port: number): MongoProbe {
  const m = new MongoProbe({ host: '127.0.0.1', port, timeoutMs: TIMEOUT });
  onTestFinished(() => m.close());
  return m;
}

async function timed(m: MongoProbe): Promise<{ result: ProbeResult; ms: number }> {
  const started = performance.now();
  const result = await m.probe(never);
  return { result, ms: performance.now() - started };
}

const sockets = () => resourceCounts()['TCPSocketWrap'] ?? 0;

describe('mongo probe', () => {
  it('pings a live server, reusing one client, and leaves nothing after close()', async () => {
    const port = await freePort();
    await startStandin(port);
    const base = resourceCounts();
    const m = probeOn(port);
    for (let i = 0; i < 5; i++) expect((await timed(m)).result).toMatchObject({ ok: true, detail: 'ping ok' });
    expect(m.clientsAlive).toBe(1);
    // The driver's monitor socket and one pooled connection, however many probes ran.
    expect(sockets() - (base['TCPSocketWrap'] ?? 0)).toBeLessThanOrEqual(2);
    await m.close();
    await expectNoLeaks(base);
  });

  it('fails within its timeout on a hung server, without piling up sockets', async () => {
    const port = await freePort();
    await startStandin(port, { hang: true });
    const base = resourceCounts();
    const m = probeOn(port);
    let most = 0;
    for (let i = 0; i < 6; i++) {
      const { result, ms } = await timed(m);
      expect(result).toMatchObject({ ok: false, reason: `timed out after ${TIMEOUT} ms (no reply to ping from mongod at 127.0.0.1:${port})` });
      expect(ms).toBeLessThan(TIMEOUT + 1500);
      most = Math.max(most, sockets() - (base['TCPSocketWrap'] ?? 0));
      expect(m.clientsAlive).toBeLessThanOrEqual(3);
    }
    // The current client's two sockets plus a retiring one, never one per probe.
    expect(most).toBeLessThanOrEqual(4);
    await m.close();
    await expectNoLeaks(base);
  });

  it('fails when the server is killed, and recovers with the same probe when it is back', async () => {
    const port = await freePort();
    const first = await startStandin(port);
    const base = resourceCounts();
    const m = probeOn(port);
    expect((await timed(m)).result.ok).toBe(true);
    await first.kill();
    const down1 = await timed(m);
    expect(down1.result.ok).toBe(false);
    expect(down1.result.ok ? '' : down1.result.reason).toMatch(new RegExp(`^connection (refused on|reset by) 127\\.0\\.0\\.1:${port}$`));
    const down2 = await timed(m);
    expect(down2.result).toMatchObject({ ok: false, reason: `connection refused on 127.0.0.1:${port}` });
    expect(down2.ms).toBeLessThan(TIMEOUT + 1500);
    await startStandin(port);
    expect((await timed(m)).result).toMatchObject({ ok: true });
    await m.close();
    await expectNoLeaks(base);
  });

  it('recovers when a hung server answers again', async () => {
    const port = await freePort();
    const standin = await startStandin(port);
    const m = probeOn(port);
    expect((await timed(m)).result.ok).toBe(true);
    await standin.toggleHang();
    expect((await timed(m)).result.ok).toBe(false);
    await standin.toggleHang();
    expect((await timed(m)).result.ok).toBe(true);
  });

  it('answers at once for an aborted signal, and after close()', async () => {
    const m = probeOn(await freePort());
    const ctl = new AbortController();
    ctl.abort();
    expect((await m.probe(ctl.signal)).ok).toBe(false);
    await m.close();
    expect(await m.probe(never)).toMatchObject({ ok: false, reason: expect.stringMatching(/is closed$/) });
  });

  it('never loads the driver unless a mongo probe runs (the monitor RSS budget)', () => {
    // Static, because ESM offers no module cache to inspect: only mongo.ts may
    // name the driver, and only as a type import or a dynamic import().
    const dir = join(REPO, 'src', 'probes');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const src = readFileSync(join(dir, f), 'utf8');
      const staticImports = src.match(/^import (?!type ).*from 'mongodb';$/gm) ?? [];
      expect(staticImports, f).toEqual([]);
    }
  });

  it(`arms the driver's pool upkeep every ${POOL_CHECK_MS / 1000} s, not every 100 ms (control: the driver's default)`, async () => {
    const port = await freePort();
    await startStandin(port);
    // Every timer the driver arms for its pool upkeep is one of these two lengths.
    const armed: number[] = [];
    const hook = createHook({
      init(_id, type, _trigger, resource) {
        const ms = (resource as { _idleTimeout?: number })._idleTimeout;
        if (type === 'Timeout' && (ms === 100 || ms === POOL_CHECK_MS)) armed.push(ms);
      },
    }).enable();
    try {
      const m = probeOn(port);
      expect((await timed(m)).result.ok).toBe(true);
      await waitFor('the pool arms its upkeep timer', () => (armed.length > 0 ? true : undefined), { timeoutMs: 5000, intervalMs: 10 });
      expect(armed).toEqual([POOL_CHECK_MS]);
      await m.close();
      armed.length = 0;
      const control = new MongoClient(`mongodb://127.0.0.1:${port}/`, { directConnection: true, maxPoolSize: 1, serverMonitoringMode: 'poll' });
      onTestFinished(() => control.close());
      await control.db('admin').command({ ping: 1 });
      await waitFor('the control pool re-arms its upkeep 3 times', () => (armed.length >= 3 ? true : undefined), { timeoutMs: 5000, intervalMs: 10 });
      expect(new Set(armed)).toEqual(new Set([100]));
    } finally {
      hook.disable();
    }
  });
});
