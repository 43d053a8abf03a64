import { describe, expect, it } from 'vitest';
import { tcpProbe } from '../../../src/probes/tcp.js';
import { freePort } from '../../helpers/ports.js';
import { hostileServer } from './helpers/hostile-server.js';
import { expectNoLeaks, resourceCounts, until0 } from './helpers/leaks.js';

const never = new AbortController().signal;

describe('tcp probe', () => {
  it('connects, then closes at once', async () => {
    const srv = await hostileServer((s) => s.resume());
    const base = resourceCounts();
    const result = await tcpProbe({ host: '127.0.0.1', port: srv.port, timeoutMs: 10_000 })(never);
    expect(result).toMatchObject({ ok: true, detail: `connected to 127.0.0.1:${srv.port}` });
    expect(srv.accepted()).toBe(1);
    await until0('server sees the probe socket closed', () => srv.openSockets());
    await expectNoLeaks(base);
  });

  it('probes loopback for a service bound to 0.0.0.0', async () => {
    const srv = await hostileServer((s) => s.resume());
    const result = await tcpProbe({ host: '0.0.0.0', port: srv.port, timeoutMs: 10_000 })(never);
    expect(result.ok).toBe(true);
  });

  it('reports connection refused', async () => {
    const port = await freePort();
    const base = resourceCounts();
    const result = await tcpProbe({ host: '127.0.0.1', port, timeoutMs: 10_000 })(never);
    expect(result).toMatchObject({ ok: false, reason: `connection refused on 127.0.0.1:${port}` });
    await expectNoLeaks(base);
  });

  it('answers and leaves nothing behind when aborted mid-connect', async () => {
    // Aborting in the same tick as the call lands in the connecting phase on
    // any machine, where an "unroutable" address may be answered by a sandbox.
    const srv = await hostileServer((s) => s.resume());
    const base = resourceCounts();
    const ctl = new AbortController();
    const pending = tcpProbe({ host: '127.0.0.1', port: srv.port, timeoutMs: 10_000 })(ctl.signal);
    ctl.abort();
    const result = await pending;
    expect(result.ok ? '' : result.reason).toMatch(new RegExp(`^timed out after \\d+ ms \\(connecting to 127\\.0\\.0\\.1:${srv.port}\\)$`));
    await until0('server holds no socket', () => srv.openSockets());
    await expectNoLeaks(base);
  });
});
