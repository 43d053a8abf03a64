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

interface Kept {
  readonly sock: Socket;
  uses: number;
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

  /** Takes the kept socket (parked with listeners that drop it on close or stray data) or dials a new one. */
  private take(): { k: Kept; reused: boolean } {
    const k = this.kept;
    this.kept = null;
    if (k && !k.sock.destroyed) {
      k.sock.removeAllListeners('data').removeAllListeners('close').removeAllListeners('error').removeAllListeners('end');
      return { k, reused: true };
    }
    const sock = connect({ host: this.t.host, port: this.t.port, noDelay: true });
    return { k: { sock, uses: 0 }, reused: false };
  }

  private park(k: Kept): void {
    const s = k.sock;
    s.removeAllListeners('data').removeAllListeners('close').removeAllListeners('error').removeAllListeners('end');
    const drop = () => {
      s.destroy();
      if (this.kept === k) this.kept = null;
    };
    s.on('data', drop).on('end', drop).on('error', drop).on('close', drop);
    this.kept = k;
  }

  private send(dl: Deadline, resolve: (r: ProbeResult) => void, mayRetry: boolean): void {
    const { k, reused } = this.take();
    const s = k.sock;
    k.uses++;
    const r = new Reader(this.t);
    let finished = false;
    const finish = (res: ProbeResult, keep = false) => {
      if (finished) return;
      finished = true;
      dl.signal.removeEventListener('abort', onAbort);
      if (keep && k.uses < this.t.freshEvery) this.park(k);
      else s.destroy();
      dl.dispose();
      resolve(res);
    };
    const handOff = (retry: boolean) => {
      finished = true;
      dl.signal.removeEventListener('abort', onAbort);
      s.destroy();
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
    s.on('error', lost);
    s.on('end', () => {
      const v = r.eof();
      if (v) finish(verdict(v, dl), false);
      else lost(undefined);
    });
    s.on('close', () => lost(undefined));
    s.on('data', (chunk: Buffer) => {
      if (finished) return;
      const v = r.feed(chunk);
      if (v === 'more') return;
      if (v === 'fallback') return handOff(false);
      finish(verdict(v, dl), v.keep);
    });
    s.write(this.request);
  }
}

const isStale = (err: unknown): boolean => {
  const code = errorCode(err);
  return code === undefined || code === 'ECONNRESET' || code === 'EPIPE';
};

const verdict = (v: Verdict, dl: Deadline): ProbeResult => (v.ok ? up(dl.elapsed(), v.detail) : down(dl.elapsed(), v.reason));
