import { request, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { startDeadline, type Deadline } from './deadline.js';
import { checkBody, needsBody, type BodyExpectations } from './http-check.js';
import { errorCode, socketErrorReason } from './net-errors.js';
import { WireClient } from './http-wire.js';
import { dialHost, down, hostPort, up } from './result.js';
import type { Probe, ProbeResult } from './types.js';

// GET one URL. Two modes:
// - httpProbe, over node:http with no agent. Each probe owns exactly one
//   socket and destroys it when it has its answer, so nothing of ours
//   outlives the probe.
// - keepAliveHttpProbe (the monitor's), over a bare socket (http-wire.ts): a
//   healthy target keeps at most one idle socket between probes, which saves
//   the connect and the close, and the fixed request and small reader save most
//   of node:http's per-request work. A hostile target still holds nothing: any
//   failure, a body over the cap or a timeout destroys the socket. The kept
//   socket is dropped after FRESH_EVERY uses, so the server's accept path is
//   proved once a minute at a 1 s interval, and when it was idle for IDLE_MS
//   (checked as the next probe starts), under common servers' own keep-alive
//   timeouts (uvicorn 5 s). A request on a reused socket that the server had
//   closed meanwhile is retried once on a new one, inside the same deadline.
// No fetch/undici: their pools keep sockets we cannot account for.

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
/** A kept socket serves at most this many probes before a fresh connect. */
export const FRESH_EVERY = 60;
/** A kept socket idle this long is closed by us, before the server does it mid-request. */
export const IDLE_MS = 2500;

interface Target {
  readonly o: HttpProbeOptions;
  readonly host: string;
  readonly url: string;
}

interface Attempt {
  readonly t: Target;
  readonly dl: Deadline;
  readonly finish: (r: ProbeResult) => void;
  /** bytesRead of the socket when this request went out on it. */
  readBase: number;
  bodyBytes: number;
  phase: 'request' | 'body';
}

export function httpProbe(o: HttpProbeOptions): Probe {
  const t = target(o);
  return (signal) => new Promise<ProbeResult>((resolve) => begin(t, signal, resolve));
}

export interface KeepAliveHttpProbe {
  readonly probe: Probe;
  /** Closes the kept socket, if any. */
  close(): Promise<void>;
}

export function keepAliveHttpProbe(o: HttpProbeOptions): KeepAliveHttpProbe {
  // A bare socket with a fixed request (http-wire.ts); what it cannot read as
  // plain goes through node:http on a new socket, for node's exact reasons.
  const fresh = target(o);
  const wire = new WireClient(
    { ...o, host: fresh.host, url: fresh.url, cap: o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, freshEvery: FRESH_EVERY, idleMs: IDLE_MS },
    (dl, resolve) => send(fresh, dl, resolve),
  );
  return {
    probe: (signal) =>
      new Promise<ProbeResult>((resolve) => {
        const dl = startDeadline(signal, o.timeoutMs);
        if (dl.signal.aborted) {
          dl.dispose();
          return resolve(down(0, `${dl.expired()} (not started)`));
        }
        wire.probe(dl, resolve);
      }),
    close: async () => wire.close(),
  };
}

function target(o: HttpProbeOptions): Target {
  const host = dialHost(o.host);
  return { o, host, url: `http://${hostPort(host, o.port)}${o.path}` };
}

function begin(t: Target, signal: AbortSignal, resolve: (r: ProbeResult) => void): void {
  const dl = startDeadline(signal, t.o.timeoutMs);
  if (dl.signal.aborted) {
    dl.dispose();
    return resolve(down(0, `${dl.expired()} (not started)`));
  }
  send(t, dl, resolve);
}

function send(t: Target, dl: Deadline, resolve: (r: ProbeResult) => void): void {
  const req = request({
    host: t.host,
    port: t.o.port,
    path: t.o.path,
    method: 'GET',
    agent: false,
    headers: { connection: 'close', 'user-agent': 'botstack-probe' },
  });
  let done = false;
  let sock: Socket | undefined;
  const onAbort = () => finish(down(dl.elapsed(), `${dl.expired()} (${stalledAt(a, sock)})`));
  const finish = (r: ProbeResult) => {
    if (done) return;
    done = true;
    dl.signal.removeEventListener('abort', onAbort);
    req.destroy();
    sock?.destroy();
    dl.dispose();
    resolve(r);
  };
  const a: Attempt = { t, dl, finish, readBase: 0, bodyBytes: 0, phase: 'request' };
  dl.signal.addEventListener('abort', onAbort, { once: true });
  req.on('socket', (s: Socket) => {
    sock = s;
    a.readBase = s.bytesRead;
  });
  req.on('error', (err) => {
    finish(down(dl.elapsed(), requestErrorReason(err, a)));
  });
  req.on('response', (res) => onResponse(a, res));
  req.end();
}

/** Where a timed-out request stood, which says whether the peer is hung or slow. */
function stalledAt(a: Attempt, sock: Socket | undefined): string {
  if (!sock || sock.connecting) return `connecting to ${hostPort(a.t.host, a.t.o.port)}`;
  if (a.phase === 'body') return `body incomplete after ${bytes(a.bodyBytes)}`;
  const read = sock.bytesRead - a.readBase;
  return read === 0 ? 'connected, no response' : `connected, response headers incomplete after ${bytes(read)}`;
}

function requestErrorReason(err: unknown, a: Attempt): string {
  const code = errorCode(err);
  const where = hostPort(a.t.host, a.t.o.port);
  if (code?.startsWith('HPE_')) return `invalid HTTP response from ${where} (${code})`;
  if (code === 'ECONNRESET' && a.phase === 'request') return `connection closed by ${where} before a response`;
  return socketErrorReason(err, a.t.host, a.t.o.port);
}

function onResponse(a: Attempt, res: IncomingMessage): void {
  // Destroying the request mid-body makes `res` emit an error; the outcome is
  // already decided by then, and an unhandled 'error' would crash the monitor.
  res.on('error', () => undefined);
  const status = res.statusCode ?? 0;
  const expected = a.t.o.expectStatus ?? 200;
  if (status !== expected) {
    const suffix = expected === 200 ? '' : `, expected ${expected}`;
    return a.finish(down(a.dl.elapsed(), `HTTP ${status} from GET ${a.t.url}${suffix}`));
  }
  if (!needsBody(a.t.o)) return a.finish(up(a.dl.elapsed(), `HTTP ${status}`));
  readBody(a, res, status);
}

function readBody(a: Attempt, res: IncomingMessage, status: number): void {
  const o = a.t.o;
  const cap = o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const check = needsBody(o);
  const chunks: Buffer[] = [];
  a.phase = 'body';
  const judge = (truncated: boolean) => {
    const reason = check ? checkBody(Buffer.concat(chunks).subarray(0, cap).toString('utf8'), o, truncated ? capLabel(cap) : null) : null;
    a.finish(reason ? down(a.dl.elapsed(), reason) : up(a.dl.elapsed(), `HTTP ${status}`));
  };
  res.on('data', (chunk: Buffer) => {
    if (check) chunks.push(chunk);
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
