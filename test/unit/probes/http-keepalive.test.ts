import type { Socket } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { FRESH_EVERY, keepAliveHttpProbe, type HttpProbeOptions } from '../../../src/probes/http.js';
import { hostileServer, streamHugeBody } from './helpers/hostile-server.js';
import { expectNoLeaks, resourceCounts, until0 } from './helpers/leaks.js';

// The monitor's HTTP probe keeps one idle socket per healthy target. These
// cases pin what it may keep and what it must not: one socket for many
// probes; none for a failing, hung or flooding target; none after close();
// and a reused socket the server had closed is retried, not a failure.

const LONG = 10_000;

/** Answers each request on a connection by `reply(n)`, n counting requests on that connection. */
function perRequest(sock: Socket, reply: (n: number, sock: Socket) => void): void {
  let seen = '';
  let n = 0;
  sock.on('data', (chunk: Buffer) => {
    seen += chunk.toString('latin1');
    let end: number;
    while ((end = seen.indexOf('\r\n\r\n')) >= 0) {
      seen = seen.slice(end + 4);
      reply(++n, sock);
    }
  });
}

const ok = (sock: Socket, body = '{"status":"ok"}') => sock.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`);

function probeOf(o: Partial<HttpProbeOptions> & { port: number }) {
  const p = keepAliveHttpProbe({ host: '127.0.0.1', path: '/health', timeoutMs: LONG, ...o });
  onTestFinished(() => p.close());
  return p;
}

const signal = () => new AbortController().signal;

describe('keep-alive http probe', () => {
  it('serves many probes over one connection, and close() releases it', async () => {
    const srv = await hostileServer((s) => perRequest(s, () => ok(s)));
    const base = resourceCounts();
    const p = probeOf({ port: srv.port, expectJson: { field: 'status', equals: 'ok' } });
    for (let i = 0; i < 5; i++) expect(await p.probe(signal())).toMatchObject({ ok: true, detail: 'HTTP 200' });
    expect(srv.accepted()).toBe(1);
    expect(srv.openSockets()).toBe(1);
    await p.close();
    await until0('server sees the kept socket closed', () => srv.openSockets());
    await expectNoLeaks(base);
  });

  it(`connects afresh after ${FRESH_EVERY} probes, so the accept path is proved`, async () => {
    const srv = await hostileServer((s) => perRequest(s, () => ok(s)));
    const p = probeOf({ port: srv.port });
    for (let i = 0; i < FRESH_EVERY + 1; i++) expect((await p.probe(signal())).ok).toBe(true);
    expect(srv.accepted()).toBe(2);
  });

  it('keeps no socket for a failing target (HTTP 500)', async () => {
    const srv = await hostileServer((s) => perRequest(s, () => s.write('HTTP/1.1 500 X\r\ncontent-length: 4\r\n\r\nboom')));
    const p = probeOf({ port: srv.port });
    expect(await p.probe(signal())).toMatchObject({ ok: false, reason: `HTTP 500 from GET ${srv.url()}` });
    await until0('server sees the socket closed', () => srv.openSockets());
  });

  it('retries once on a new socket when the server closed the kept one (control: the server reset it)', async () => {
    // Each connection answers its first request, then resets on the second:
    // the keep-alive race a server's idle timeout causes.
    const srv = await hostileServer((s) => perRequest(s, (n, sock) => (n === 1 ? ok(sock) : sock.resetAndDestroy())));
    const p = probeOf({ port: srv.port });
    expect((await p.probe(signal())).ok).toBe(true);
    expect((await p.probe(signal())).ok).toBe(true);
    // The second probe met the reset (control: it did happen) and went out again.
    expect(srv.accepted()).toBe(2);
  });

  it('reports a reset on a fresh socket as a failure (no retry loop)', async () => {
    const srv = await hostileServer((s) => perRequest(s, (_n, sock) => sock.resetAndDestroy()));
    const p = probeOf({ port: srv.port });
    const r = await p.probe(signal());
    expect(r.ok).toBe(false);
    expect(srv.accepted()).toBe(1);
  });

  it('times out on a kept socket whose server stopped answering, counting only this request', async () => {
    const srv = await hostileServer((s) => perRequest(s, (n, sock) => n === 1 && ok(sock)));
    const p = probeOf({ port: srv.port, timeoutMs: 300 });
    expect((await p.probe(signal())).ok).toBe(true);
    expect(await p.probe(signal())).toMatchObject({ ok: false, reason: 'timed out after 300 ms (connected, no response)' });
    await until0('server sees the socket closed', () => srv.openSockets());
  });

  it('reads at most 64 KiB of a 100 MB body, then drops the socket', async () => {
    let sent = () => 0;
    const srv = await hostileServer((s) => perRequest(s, () => (sent = streamHugeBody(s, 100 * 1024 * 1024))));
    const p = probeOf({ port: srv.port, timeoutMs: 5000 });
    expect(await p.probe(signal())).toMatchObject({ ok: true, detail: 'HTTP 200' });
    await until0('server sees the socket closed', () => srv.openSockets());
    expect(sent()).toBeLessThan(20 * 1024 * 1024);
  });

  it('does not keep a socket the server asked to close', async () => {
    const srv = await hostileServer((s) => perRequest(s, () => s.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok')));
    const p = probeOf({ port: srv.port });
    expect((await p.probe(signal())).ok).toBe(true);
    expect((await p.probe(signal())).ok).toBe(true);
    expect(srv.accepted()).toBe(2);
    await until0('no socket held', () => srv.openSockets());
  });
});
