import { describe, expect, it } from 'vitest';
import { httpProbe, type HttpProbeOptions } from '../../../src/probes/http.js';
import type { ProbeResult } from '../../../src/probes/types.js';
import { freePort } from '../../helpers/ports.js';
import { afterRequest, dribble, hostileServer, respond, streamHugeBody } from './helpers/hostile-server.js';
import { expectNoLeaks, resourceCounts, until0 } from './helpers/leaks.js';

// Every case: the result is data, the probe answers within a generous bound
// of its timeout, and afterwards the server holds no socket of ours and no
// timer or socket is left in this process.

// Cases that expect a timeout use SHORT; the others use a long timeout so a
// timer the probe forgot to clear is still pending when the leak check runs.
const SHORT = 300;
const BOUND = SHORT + 1500;
const LONG = 10_000;

async function run(opts: Partial<HttpProbeOptions> & { port: number }, signal = new AbortController().signal) {
  const probe = httpProbe({ host: '127.0.0.1', path: '/health', timeoutMs: LONG, ...opts });
  const started = performance.now();
  const result: ProbeResult = await probe(signal);
  return { result, ms: performance.now() - started };
}

async function expectClean(server: { openSockets(): number }, baseline: ReturnType<typeof resourceCounts>) {
  await until0('server sees the probe socket closed', () => server.openSockets());
  await expectNoLeaks(baseline);
}

describe('http probe', () => {
  it('is ok on the expected status and JSON field, with latency', async () => {
    const srv = await hostileServer((s) => afterRequest(s, () => respond(s, 200, '{"status":"ok","db":{"up":true}}')));
    const base = resourceCounts();
    const { result } = await run({ port: srv.port, expectJson: { field: 'status', equals: 'ok' } });
    expect(result).toMatchObject({ ok: true, detail: 'HTTP 200' });
    expect(result.latencyMs).toBeGreaterThan(0);
    expect((await run({ port: srv.port, expectJson: { field: 'db.up' }, expectBody: '"ok"' })).result.ok).toBe(true);
    await expectClean(srv, base);
  });

  it('reports a 500 with the status and the URL', async () => {
    const srv = await hostileServer((s) => afterRequest(s, () => respond(s, 500, 'boom', 'text/plain')));
    const base = resourceCounts();
    const { result } = await run({ port: srv.port });
    expect(result).toMatchObject({ ok: false, reason: `HTTP 500 from GET ${srv.url()}` });
    await expectClean(srv, base);
  });

  it('names the expected status when it is not 200', async () => {
    const srv = await hostileServer((s) => afterRequest(s, () => respond(s, 200, '')));
    const { result } = await run({ port: srv.port, expectStatus: 204 });
    expect(result).toMatchObject({ ok: false, reason: `HTTP 200 from GET ${srv.url()}, expected 204` });
  });

  it('times out on a server that accepts and never responds', async () => {
    // resume(): the server reads (and ignores) the request, so it notices the hang-up.
    const srv = await hostileServer((s) => s.resume());
    const base = resourceCounts();
    const { result, ms } = await run({ port: srv.port, timeoutMs: SHORT });
    expect(result).toMatchObject({ ok: false, reason: `timed out after ${SHORT} ms (connected, no response)` });
    expect(ms).toBeLessThan(BOUND);
    await expectClean(srv, base);
  });

  it('times out on a server that answers one byte a second', async () => {
    const srv = await hostileServer((s) => afterRequest(s, () => dribble(s, 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok', 1000)));
    const base = resourceCounts();
    const { result, ms } = await run({ port: srv.port, timeoutMs: 1500 });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(/^timed out after 1500 ms \(connected, response headers incomplete after \d+ bytes?\)$/);
    expect(ms).toBeLessThan(1500 + 1500);
    await expectClean(srv, base);
  });

  it('stops reading a 100 MB body at once when no body check is asked for', async () => {
    let sent = () => 0;
    const srv = await hostileServer((s) => afterRequest(s, () => (sent = streamHugeBody(s, 100 * 1024 * 1024))));
    const base = resourceCounts();
    const { result, ms } = await run({ port: srv.port, timeoutMs: 5000 });
    expect(result).toMatchObject({ ok: true, detail: 'HTTP 200' });
    expect(ms).toBeLessThan(2000);
    await expectClean(srv, base);
    expect(sent()).toBeLessThan(20 * 1024 * 1024);
  });

  it('reads at most 64 KiB of a 100 MB body when checking it', async () => {
    let sent = () => 0;
    const srv = await hostileServer((s) => afterRequest(s, () => (sent = streamHugeBody(s, 100 * 1024 * 1024))));
    const base = resourceCounts();
    const { result, ms } = await run({ port: srv.port, expectBody: '"status":"ok"' });
    expect(result).toMatchObject({ ok: false, reason: 'first 64 KiB of the body do not contain "\\"status\\":\\"ok\\""' });
    expect(ms).toBeLessThan(2000);
    await expectClean(srv, base);
    expect(sent()).toBeLessThan(20 * 1024 * 1024);
  });

  it('reports invalid JSON', async () => {
    const srv = await hostileServer((s) => afterRequest(s, () => respond(s, 200, '{"status": ok')));
    const base = resourceCounts();
    const { result } = await run({ port: srv.port, expectJson: { field: 'status', equals: 'ok' } });
    expect(result).toMatchObject({ ok: false, reason: 'invalid JSON in body' });
    await expectClean(srv, base);
  });

  it('reports a wrong field value with both values', async () => {
    const srv = await hostileServer((s) => afterRequest(s, () => respond(s, 200, '{"status":"degraded"}')));
    const { result } = await run({ port: srv.port, expectJson: { field: 'status', equals: 'ok' } });
    expect(result).toMatchObject({ ok: false, reason: 'field status is "degraded", expected "ok"' });
  });

  it('reports connection refused', async () => {
    const port = await freePort();
    const base = resourceCounts();
    const { result, ms } = await run({ port });
    expect(result).toMatchObject({ ok: false, reason: `connection refused on 127.0.0.1:${port}` });
    expect(ms).toBeLessThan(BOUND);
    await expectNoLeaks(base);
  });

  it('reports an open TCP port that does not speak HTTP', async () => {
    const srv = await hostileServer((s) => afterRequest(s, () => s.write('SSH-2.0-OpenSSH_9.2\r\nProtocol mismatch.\r\n')));
    const base = resourceCounts();
    const { result } = await run({ port: srv.port });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(new RegExp(`^invalid HTTP response from 127\\.0\\.0\\.1:${srv.port} \\(HPE_[A-Z_]+\\)$`));
    await expectClean(srv, base);
  });

  it('reports a server that hangs up mid-body', async () => {
    const srv = await hostileServer((s) => afterRequest(s, () => s.end('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"sta')));
    const { result } = await run({ port: srv.port, expectJson: { field: 'status' } });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(/^connection closed mid-body after 5 bytes$|^connection reset/);
  });

  it("answers promptly when the caller's signal aborts first", async () => {
    const srv = await hostileServer((s) => s.resume());
    const base = resourceCounts();
    const ctl = new AbortController();
    const pending = run({ port: srv.port, timeoutMs: 60_000 }, ctl.signal);
    await until0('connection accepted', () => 1 - srv.accepted());
    ctl.abort();
    const { result, ms } = await pending;
    expect(result.ok ? '' : result.reason).toMatch(/^timed out after \d+ ms \(connected, no response\)$/);
    expect(ms).toBeLessThan(5000);
    await expectClean(srv, base);
  });

  it('answers at once for a signal that is already aborted', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const { result } = await run({ port: 1 }, ctl.signal);
    expect(result).toMatchObject({ ok: false, latencyMs: 0 });
  });
});
