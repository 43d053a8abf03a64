import { connect, type Socket } from 'node:net';
import { monoNow } from '../util/mono.js';
import type { Deadline } from './deadline.js';
import { Reader, type Verdict, type WireTarget } from './http-read.js';
import { errorCode, socketErrorReason } from './net-errors.js';
import { down, hostPort, up } from './result.js';
import type { ProbeResult } from './types.js';

// The monitor's keep-alive HTTP probe over a bare socket: one fixed request
// buffer, and a reader for what health endpoints send (a status line, headers,
// a content-length or chunked body). node:http's request objects, header
// validation and parser were most of a probe's CPU (BENCHMARKS.md, "Lean").
// Anything this reader does not take for plain (no parsable status line, a
// 1xx, headers over 16 KiB, a chunk it cannot read) is handed to `fallback`,
// node:http on a new socket inside the same deadline, so those cases get
// exactly the reasons node:http gives (HPE_* codes and all).

export type { WireTarget };
export type Fallback = (dl: Deadline, resolve: (r: ProbeResult) => void) => void;

/** What a socket's events go to while a request is on it; none while it is parked. */
interface Handler {
  data(chunk: Buffer): void;
  end(): void;
  lost(err: unknown): void;
}

interface Kept {
  readonly sock: Socket;
  uses: number;
  /** The request on it now; null while parked, when any event from it (stray data, a close) drops it. */
  on: Handler | null;
}

export class WireClient {
  private kept: Kept | null = null;
  private lastEnd = -Infinity;
  private readonly request: Buffer;
  private readonly where: string;

  constructor(private readonly t: WireTarget, private readonly fallback: Fallback) {
    this.request = Buffer.from(`GET ${t.path} HTTP/1.1\r\nHost: ${hostPort(t.host, t.port)}\r\nUser-Agent: botstack-probe\r\nConnection: keep-alive\r\n\r\n`, 'latin1');
    this.where = hostPort(t.host, t.port);
  }

  close(): void {
    this.kept?.sock.destroy();
    this.kept = null;
  }

  probe(dl: Deadline, resolve: (r: ProbeResult) => void): void {
    // Idleness is judged now, not by a timer: the server may be about to close it (uvicorn after 5 s).
    if (this.kept && monoNow() - this.lastEnd > this.t.idleMs) this.close();
    const done = (r: ProbeResult) => {
      this.lastEnd = monoNow();
      resolve(r);
    };
    this.send(dl, done, true);
  }

  /** Takes the kept socket or dials a new one. */
  private take(): { k: Kept; reused: boolean } {
    const k = this.kept;
    this.kept = null;
    if (k && !k.sock.destroyed) return { k, reused: true };
    const sock = connect({ host: this.t.host, port: this.t.port, noDelay: true });
    const fresh: Kept = { sock, uses: 0, on: null };
    // One set of listeners for the socket's life (not four added and removed per request):
    // each event goes to the request on it, or drops the socket while it is parked.
    const drop = () => {
      sock.destroy();
      if (this.kept === fresh) this.kept = null;
    };
    sock.on('data', (chunk: Buffer) => (fresh.on ? fresh.on.data(chunk) : drop()));
    sock.on('end', () => (fresh.on ? fresh.on.end() : drop()));
    sock.on('error', (err: unknown) => (fresh.on ? fresh.on.lost(err) : drop()));
    sock.on('close', () => (fresh.on ? fresh.on.lost(undefined) : drop()));
    return { k: fresh, reused: false };
  }

  private send(dl: Deadline, resolve: (r: ProbeResult) => void, mayRetry: boolean): void {
    const { k, reused } = this.take();
    const s = k.sock;
    k.uses++;
    const r = new Reader(this.t);
    let finished = false;
    const release = (keep: boolean) => {
      finished = true;
      k.on = null;
      dl.signal.removeEventListener('abort', onAbort);
      if (keep && k.uses < this.t.freshEvery) this.kept = k;
      else s.destroy();
    };
    const finish = (res: ProbeResult, keep = false) => {
      if (finished) return;
      release(keep);
      dl.dispose();
      resolve(res);
    };
    const handOff = (retry: boolean) => {
      release(false);
      if (retry) this.send(dl, resolve, false);
      else this.fallback(dl, resolve);
    };
    const onAbort = () => finish(down(dl.elapsed(), `${dl.expired()} (${r.stalledAt(s)})`));
    const lost = (err: unknown) => {
      if (finished) return;
      // The server closed a kept socket just as we reused it: ask once more on a new one.
      if (mayRetry && reused && r.received === 0 && isStale(err)) return handOff(true);
      if (r.phase === 'body') return finish(down(dl.elapsed(), r.closedMidBody()));
      const code = errorCode(err);
      if (code === 'ECONNRESET' || code === undefined) return finish(down(dl.elapsed(), `connection closed by ${this.where} before a response`));
      finish(down(dl.elapsed(), socketErrorReason(err, this.t.host, this.t.port)));
    };
    dl.signal.addEventListener('abort', onAbort, { once: true });
    k.on = {
      lost,
      end: () => {
        const v = r.eof();
        if (v) finish(verdict(v, dl), false);
        else lost(undefined);
      },
      data: (chunk) => {
        if (finished) return;
        const v = r.feed(chunk);
        if (v === 'more') return;
        if (v === 'fallback') return handOff(false);
        finish(verdict(v, dl), v.keep);
      },
    };
    s.write(this.request);
  }
}

const isStale = (err: unknown): boolean => {
  const code = errorCode(err);
  return code === undefined || code === 'ECONNRESET' || code === 'EPIPE';
};

const verdict = (v: Verdict, dl: Deadline): ProbeResult => (v.ok ? up(dl.elapsed(), v.detail) : down(dl.elapsed(), v.reason));
