import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { startDeadline, type Deadline } from './deadline.js';
import { checkBody, needsBody, type BodyExpectations } from './http-check.js';
import { errorCode, socketErrorReason } from './net-errors.js';
import { dialHost, down, hostPort, up } from './result.js';
import type { Probe, ProbeResult } from './types.js';

// GET one URL over node:http with no agent: each probe owns exactly one socket
// and destroys it when it has its answer, so a hostile server can hold nothing
// of ours. No fetch/undici: their pools keep sockets past the probe.

export interface HttpProbeOptions extends BodyExpectations {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly expectStatus?: number;
  readonly timeoutMs: number;
  /** Read at most this much body; a health endpoint that sends more is cut off. */
  readonly maxBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

interface Attempt {
  readonly o: HttpProbeOptions;
  readonly host: string;
  readonly url: string;
  readonly dl: Deadline;
  readonly req: ClientRequest;
  readonly finish: (r: ProbeResult) => void;
  bodyBytes: number;
  phase: 'request' | 'body';
}

export function httpProbe(o: HttpProbeOptions): Probe {
  const host = dialHost(o.host);
  const url = `http://${hostPort(host, o.port)}${o.path}`;
  return (signal) => new Promise<ProbeResult>((resolve) => start(o, host, url, signal, resolve));
}

function start(o: HttpProbeOptions, host: string, url: string, signal: AbortSignal, resolve: (r: ProbeResult) => void): void {
  const dl = startDeadline(signal, o.timeoutMs);
  if (dl.signal.aborted) {
    dl.dispose();
    return resolve(down(0, `${dl.expired()} (not started)`));
  }
  const req = request({
    host,
    port: o.port,
    path: o.path,
    method: 'GET',
    agent: false,
    headers: { connection: 'close', 'user-agent': 'botstack-probe' },
  });
  let done = false;
  const onAbort = () => finish(down(dl.elapsed(), `${dl.expired()} (${stalledAt(a)})`));
  const finish = (r: ProbeResult) => {
    if (done) return;
    done = true;
    dl.signal.removeEventListener('abort', onAbort);
    dl.dispose();
    req.destroy();
    resolve(r);
  };
  const a: Attempt = { o, host, url, dl, req, finish, bodyBytes: 0, phase: 'request' };
  dl.signal.addEventListener('abort', onAbort, { once: true });
  req.on('error', (err) => finish(down(dl.elapsed(), requestErrorReason(err, a))));
  req.on('response', (res) => onResponse(a, res));
  req.end();
}

/** Where a timed-out request stood, which says whether the peer is hung or slow. */
function stalledAt(a: Attempt): string {
  const sock = a.req.socket;
  if (!sock || sock.connecting) return `connecting to ${hostPort(a.host, a.o.port)}`;
  if (a.phase === 'body') return `body incomplete after ${bytes(a.bodyBytes)}`;
  return sock.bytesRead === 0 ? 'connected, no response' : `connected, response headers incomplete after ${bytes(sock.bytesRead)}`;
}

function requestErrorReason(err: unknown, a: Attempt): string {
  const code = errorCode(err);
  const where = hostPort(a.host, a.o.port);
  if (code?.startsWith('HPE_')) return `invalid HTTP response from ${where} (${code})`;
  if (code === 'ECONNRESET' && a.phase === 'request') return `connection closed by ${where} before a response`;
  return socketErrorReason(err, a.host, a.o.port);
}

function onResponse(a: Attempt, res: IncomingMessage): void {
  // Destroying the request mid-body makes `res` emit an error; the outcome is
  // already decided by then, and an unhandled 'error' would crash the monitor.
  res.on('error', () => undefined);
  const status = res.statusCode ?? 0;
  const expected = a.o.expectStatus ?? 200;
  const ms = () => a.dl.elapsed();
  if (status !== expected) {
    const suffix = expected === 200 ? '' : `, expected ${expected}`;
    return a.finish(down(ms(), `HTTP ${status} from GET ${a.url}${suffix}`));
  }
  if (!needsBody(a.o)) return a.finish(up(ms(), `HTTP ${status}`));
  readBody(a, res, status);
}

function readBody(a: Attempt, res: IncomingMessage, status: number): void {
  const cap = a.o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const chunks: Buffer[] = [];
  a.phase = 'body';
  const judge = (truncated: boolean) => {
    const body = Buffer.concat(chunks).subarray(0, cap).toString('utf8');
    const reason = checkBody(body, a.o, truncated ? capLabel(cap) : null);
    a.finish(reason ? down(a.dl.elapsed(), reason) : up(a.dl.elapsed(), `HTTP ${status}`));
  };
  res.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    a.bodyBytes += chunk.length;
    if (a.bodyBytes >= cap) judge(true);
  });
  res.on('end', () => judge(false));
  res.on('close', () => {
    if (!res.complete) a.finish(down(a.dl.elapsed(), `connection closed mid-body after ${bytes(a.bodyBytes)}`));
  });
}

const bytes = (n: number): string => (n === 1 ? '1 byte' : `${n} bytes`);
const capLabel = (n: number): string => (n % 1024 === 0 ? `${n / 1024} KiB` : bytes(n));
