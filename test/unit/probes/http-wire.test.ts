import type { Socket } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { httpProbe, keepAliveHttpProbe, type HttpProbeOptions } from '../../../src/probes/http.js';
import { freePort } from '../../helpers/ports.js';
import { afterRequest, dribble, hostileServer } from './helpers/hostile-server.js';
import { expectNoLeaks, resourceCounts, until0 } from './helpers/leaks.js';

// The keep-alive probe reads responses itself (probes/http-wire.ts). These
// cases pin that it answers as node:http does (httpProbe is the control: the
// same server, the same options, the same result) and that the bodies real
// servers send (content-length, chunked, to the close) are read and judged.

const LONG = 10_000;
const signal = () => new AbortController().signal;

function keep(o: Partial<HttpProbeOptions> & { port: number }) {
  const p = keepAliveHttpProbe({ host: '127.0.0.1', path: '/health', timeoutMs: LONG, ...o });
  onTestFinished(() => p.close());
  return p;
}

/** Both probes' results against one server, the plain one first. */
async function both(o: Partial<HttpProbeOptions> & { port: number }) {
  const plain = await httpProbe({ host: '127.0.0.1', path: '/health', timeoutMs: LONG, ...o })(signal());
  const kept = await keep(o).probe(signal());
  const strip = (r: typeof plain) => (r.ok ? { ok: true, detail: r.detail } : { ok: false, reason: r.reason });
  return { plain: strip(plain), kept: strip(kept) };
}

/** Answers every request on a connection with `text`. */
function each(text: string | ((n: number) => string)) {
  return (sock: Socket) => {
    let seen = '';
    let n = 0;
    sock.on('data', (c: Buffer) => {
      seen += c.toString('latin1');
      let end: number;
      while ((end = seen.indexOf('\r\n\r\n')) >= 0) {
        seen = seen.slice(end + 4);
        sock.write(typeof text === 'string' ? text : text(++n));
      }
    });
  };
}

const chunked = (body: string[]) => `HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n${body.map((b) => `${Buffer.byteLength(b).toString(16)}\r\n${b}\r\n`).join('')}0\r\n\r\n`;

describe('keep-alive http probe over its own reader', () => {
  it('reads a chunked body, checks it, and keeps the socket', async () => {
    const srv = await hostileServer(each(chunked(['{"stat', 'us":"ok"}'])));
    const p = keep({ port: srv.port, expectJson: { field: 'status', equals: 'ok' } });
    for (let i = 0; i < 3; i++) expect(await p.probe(signal())).toMatchObject({ ok: true, detail: 'HTTP 200' });
    expect(srv.accepted()).toBe(1);
  });

  it('judges a chunked body as node:http does (a wrong field)', async () => {
    const srv = await hostileServer(each(chunked(['{"status":"degraded"}'])));
    const r = await both({ port: srv.port, expectJson: { field: 'status', equals: 'ok' } });
    expect(r.kept).toEqual(r.plain);
    expect(r.kept).toEqual({ ok: false, reason: 'field status is "degraded", expected "ok"' });
  });

  it('reads a body that ends with the connection, and does not keep it', async () => {
    const srv = await hostileServer((s) => afterRequest(s, () => s.end('HTTP/1.1 200 OK\r\n\r\n{"status":"ok"}')));
    const r = await both({ port: srv.port, expectJson: { field: 'status', equals: 'ok' } });
    expect(r.kept).toEqual(r.plain);
    expect(r.kept).toEqual({ ok: true, detail: 'HTTP 200' });
    await until0('no socket held', () => srv.openSockets());
  });

  it('gives node:http its reason for a port that does not speak HTTP', async () => {
    const srv = await hostileServer((s) => afterRequest(s, () => s.write('SSH-2.0-OpenSSH_9.2\r\nProtocol mismatch.\r\n')));
    const r = await both({ port: srv.port });
    expect(r.kept).toEqual(r.plain);
    expect(r.kept.ok ? '' : r.kept.reason).toMatch(/^invalid HTTP response from 127\.0\.0\.1:\d+ \(HPE_[A-Z_]+\)$/);
    await until0('no socket held', () => srv.openSockets());
  });

  it('gives node:http its reason for a malformed header', async () => {
    const srv = await hostileServer((s) => afterRequest(s, () => s.write('HTTP/1.1 200 OK\r\ncontent-length: x\r\n\r\nok')));
    const r = await both({ port: srv.port });
    expect(r.kept).toEqual(r.plain);
    expect(r.kept.ok).toBe(false);
  });

  it('names the status and the URL as node:http does', async () => {
    const srv = await hostileServer(each('HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n'));
    const r = await both({ port: srv.port });
    expect(r.kept).toEqual(r.plain);
    expect(r.kept).toEqual({ ok: false, reason: `HTTP 503 from GET ${srv.url()}` });
  });

  it('reports connection refused and a hang-up before a response as node:http does', async () => {
    const port = await freePort();
    const refused = await both({ port });
    expect(refused.kept).toEqual(refused.plain);
    expect(refused.kept).toEqual({ ok: false, reason: `connection refused on 127.0.0.1:${port}` });
    const srv = await hostileServer((s) => afterRequest(s, () => s.end()));
    const hung = await both({ port: srv.port });
    expect(hung.kept).toEqual(hung.plain);
    expect(hung.kept).toEqual({ ok: false, reason: `connection closed by 127.0.0.1:${srv.port} before a response` });
  });

  it('times out on slow headers and a slow body with the same words as node:http', async () => {
    const slowHead = await hostileServer((s) => afterRequest(s, () => dribble(s, 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok', 200)));
    const head = await both({ port: slowHead.port, timeoutMs: 700 });
    expect(head.kept.ok ? '' : head.kept.reason).toMatch(/^timed out after 700 ms \(connected, response headers incomplete after \d+ bytes?\)$/);
    expect(head.plain.ok ? '' : head.plain.reason).toMatch(/^timed out after 700 ms \(connected, response headers incomplete after \d+ bytes?\)$/);
    const slowBody = await hostileServer((s) => afterRequest(s, () => s.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"sta')));
    const body = await both({ port: slowBody.port, timeoutMs: 300, expectJson: { field: 'status' } });
    expect(body.kept).toEqual(body.plain);
    expect(body.kept).toEqual({ ok: false, reason: 'timed out after 300 ms (body incomplete after 5 bytes)' });
  });

  it('drops a kept socket the server closes while idle, then connects afresh', async () => {
    // Each connection answers once, then the server closes it, as an idle timeout does.
    const srv = await hostileServer(each('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok'));
    const p = keep({ port: srv.port });
    expect((await p.probe(signal())).ok).toBe(true);
    expect(srv.openSockets()).toBe(1);
    srv.closeAll();
    await until0('the kept socket is gone on both sides', () => srv.openSockets());
    expect(await p.probe(signal())).toMatchObject({ ok: true, detail: 'HTTP 200' });
    expect(srv.accepted()).toBe(2);
  });

  it('leaves nothing behind after close()', async () => {
    const srv = await hostileServer(each('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok'));
    const base = resourceCounts();
    const p = keepAliveHttpProbe({ host: '127.0.0.1', path: '/health', timeoutMs: LONG, port: srv.port });
    expect((await p.probe(signal())).ok).toBe(true);
    expect(srv.openSockets()).toBe(1);
    await p.close();
    await until0('server sees the kept socket closed', () => srv.openSockets());
    await expectNoLeaks(base);
  });
});
