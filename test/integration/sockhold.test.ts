import { afterAll, describe, expect, it } from 'vitest';
import { readHolderState, roll } from '../../src/stack/rolling.js';
import { waitFor } from '../../src/util/timeout.js';
import { pidAlive } from '../../src/util/proctree.js';
import { Cleanup } from '../helpers/cleanup.js';
import { startLoad, type LoadShape } from '../helpers/http-load.js';
import { freePort } from '../helpers/ports.js';
import { appSource, servingSince, startHolder, type Holder } from '../helpers/sockhold.js';

// runtime/sockhold.py on its own (no pm2): real uvicorn/FastAPI, real HTTP at
// 50 requests/s on 127.0.0.1, a real rolling restart over the control socket.
// The pm2-level tests (deploy, restart) are in ops-deploy-rolling.test.ts.

const cleanup = new Cleanup();
afterAll(() => cleanup.run());

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
const childOf = (h: Holder) => readHolderState(h.control)?.child ?? 0;

async function underLoad<T>(h: Holder, shape: LoadShape, act: () => Promise<T>, timeoutMs = 2000) {
  const load = startLoad({ port: () => h.port, shape, timeoutMs, maxMs: 60_000 });
  await settle(1000);
  const t0 = performance.now();
  const result = await act();
  await settle(1000);
  await load.stop();
  return { result, t0, load, window: load.window(0, Infinity) };
}

describe('the socket holder: rolling restarts under load', () => {
  for (const shape of ['new-connections', 'keep-alive'] as const) {
    it(`a roll to new code fails no request (${shape})`, async () => {
      const h = await startHolder(cleanup, await freePort());
      await waitFor('state.json', () => (childOf(h) > 0 ? true : undefined), { timeoutMs: 10_000 });
      const before = childOf(h);
      const { result, window, load } = await underLoad(h, shape, async () => {
        h.writeApp(appSource(2));
        return roll(h.control, 'deploy', { timeoutMs: 60_000 });
      });
      expect(result.ok, JSON.stringify(result)).toBe(true);
      expect(window.failed, JSON.stringify(window.statuses)).toBe(0);
      expect(window.requests).toBeGreaterThan(80);
      const pids = new Set(load.answers.map((a) => a.pid));
      expect(pids.has(before) && result.ok && pids.has(result.pid)).toBe(true);
      expect(pidAlive(before)).toBe(false);
      expect(readHolderState(h.control)).toMatchObject({ pid: h.proc.pid, rolls: 1, last: [{ cause: 'deploy', ok: true }] });
    }, 90_000);
  }

  it('control: stopping the holder and starting it again (what a plain pm2 restart does) fails requests', async () => {
    const port = await freePort();
    const h = await startHolder(cleanup, port);
    const { window } = await underLoad(h, 'new-connections', async () => {
      process.kill(h.proc.pid!, 'SIGINT');
      await waitFor('the holder exits', () => (h.proc.exitCode !== null || h.proc.signalCode !== null ? true : undefined), { timeoutMs: 20_000, intervalMs: 10 });
      return startHolder(cleanup, port, { dir: h.dir });
    });
    expect(window.failed).toBeGreaterThan(0);
    expect(Object.keys(window.statuses)).toContain('ECONNREFUSED');
  }, 90_000);

  it('a version whose every route answers 500 never serves a request, and the old one keeps serving', async () => {
    const h = await startHolder(cleanup, await freePort());
    await waitFor('state.json', () => (childOf(h) > 0 ? true : undefined), { timeoutMs: 10_000 });
    const old = childOf(h);
    const { result, window, load } = await underLoad(h, 'new-connections', async () => {
      h.writeApp(appSource(2, { broken: true }));
      return roll(h.control, 'deploy', { timeoutMs: 60_000 });
    });
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.reason).toContain('answered 500');
    expect(window.failed, JSON.stringify(window.statuses)).toBe(0);
    expect(new Set(load.answers.map((a) => a.pid))).toEqual(new Set([old]));
    expect(childOf(h)).toBe(old);
    expect(h.lines.some((l) => l.text.includes('failed its health gate and served nothing'))).toBe(true);
  }, 90_000);

  for (const shape of ['new-connections', 'keep-alive'] as const) {
    it(`a SIGSTOPped child is replaced: no connection that arrived after the new one was ready is dropped (${shape})`, async () => {
      const h = await startHolder(cleanup, await freePort());
      await waitFor('state.json', () => (childOf(h) > 0 ? true : undefined), { timeoutMs: 10_000 });
      const hung = childOf(h);
      let stoppedAt = 0;
      const { result, load } = await underLoad(h, shape, async () => {
        process.kill(hung, 'SIGSTOP');
        stoppedAt = performance.now();
        await settle(1000);
        return roll(h.control, 'heal', { timeoutMs: 60_000, killOld: true });
      }, 10_000);
      expect(result.ok, JSON.stringify(result)).toBe(true);
      const ready = result.ok ? servingSince(h, result.pid) : undefined;
      expect(ready).toBeDefined();
      const after = load.window(ready!, Infinity);
      expect(after.failed, JSON.stringify(after.statuses)).toBe(0);
      expect(after.requests).toBeGreaterThan(40);
      // Those that queued during the hang were answered by the new process. With
      // keep-alive clients, a request sent on a connection the hung process had
      // accepted before it hung dies with it (at most one per client socket, 4 here).
      const queued = load.answers.filter((a) => a.at > stoppedAt && a.at < ready!);
      const lost = queued.filter((a) => !a.ok);
      expect(queued.length).toBeGreaterThan(30);
      if (shape === 'new-connections') expect(lost.length, JSON.stringify(load.window(stoppedAt, ready!).statuses)).toBe(0);
      else expect(lost.length <= 4 && lost.every((a) => a.error === 'ECONNRESET'), JSON.stringify(lost)).toBe(true);
      expect(pidAlive(hung)).toBe(false);
    }, 90_000);
  }
});
