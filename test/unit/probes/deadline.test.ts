import { describe, expect, it } from 'vitest';
import { DEADLINE_REACHED, markDeadline, startDeadline } from '../../../src/probes/deadline.js';
import { runProbe } from '../../../src/monitor/run-probe.js';
import { realClock } from '../../../src/monitor/clock.js';
import { httpProbe } from '../../../src/probes/http.js';
import { createServer } from 'node:net';

// The monitor's runProbe marks its signal with its deadline, and a probe's own
// startDeadline then rides on it (one controller and timer per probe, not two).

describe('a probe deadline under a marked signal', () => {
  it('shares the outer signal when the outer ends no later, and says the budget when it fired', () => {
    const ctl = new AbortController();
    markDeadline(ctl.signal, 1000);
    const dl = startDeadline(ctl.signal, 1000);
    expect(dl.signal).toBe(ctl.signal);
    ctl.abort(DEADLINE_REACHED);
    expect(dl.expired()).toBe('timed out after 1000 ms');
    dl.dispose();
  });

  it('keeps its own timer when its budget is the shorter one, or the signal is not marked (control)', () => {
    const ctl = new AbortController();
    markDeadline(ctl.signal, 5000);
    const shorter = startDeadline(ctl.signal, 1000);
    expect(shorter.signal).not.toBe(ctl.signal);
    shorter.dispose();
    const plain = startDeadline(new AbortController().signal, 1000);
    expect(plain.signal).not.toBe(ctl.signal);
    plain.dispose();
  });

  it('an outer abort that is not the deadline (the monitor stopping) reports the time spent', () => {
    const ctl = new AbortController();
    markDeadline(ctl.signal, 60_000);
    const dl = startDeadline(ctl.signal, 60_000);
    ctl.abort(new Error('stopping'));
    expect(dl.expired()).toMatch(/^timed out after \d+ ms$/);
    expect(dl.expired()).not.toBe('timed out after 60000 ms');
  });

  it("through runProbe on the real clock, a server that never answers times out at the probe's budget", async () => {
    const server = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as { port: number }).port;
      const run = await runProbe(httpProbe({ host: '127.0.0.1', port, path: '/health', timeoutMs: 300 }), 300, realClock, new AbortController().signal);
      expect(run.timedOut).toBe(true);
      expect(run.result.ok).toBe(false);
      expect((run.result as { reason: string }).reason).toContain('timed out after 300 ms');
    } finally {
      server.close();
    }
  });
});
