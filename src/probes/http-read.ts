import type { Socket } from 'node:net';
import { checkBody, needsBody, type BodyExpectations } from './http-check.js';
import { hostPort } from './result.js';

// Reads one HTTP/1.x response as health endpoints send it, for http-wire.ts:
// a status line, headers, a body by content-length, chunks or to the close.
// Anything else is 'fallback': the caller asks node:http instead.

export interface WireTarget extends BodyExpectations {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly url: string;
  readonly expectStatus?: number;
  readonly cap: number;
  readonly freshEvery: number;
  readonly idleMs: number;
}

/** node's own limit on a response's headers; over it node:http answers HPE_HEADER_OVERFLOW. */
const MAX_HEADER_BYTES = 16 * 1024;

export type Verdict = { readonly ok: true; readonly detail: string; readonly keep: boolean } | { readonly ok: false; readonly reason: string; readonly keep: false };

const bytes = (n: number): string => (n === 1 ? '1 byte' : `${n} bytes`);
const capLabel = (n: number): string => (n % 1024 === 0 ? `${n / 1024} KiB` : bytes(n));

/** One response, fed chunk by chunk. */
export class Reader {
  phase: 'request' | 'body' = 'request';
  received = 0;
  private head: Buffer | null = null;
  private status = 0;
  private keepable = true;
  /** Body bytes still due; -1: until the connection closes; -2: chunked. */
  private left = 0;
  private bodyBytes = 0;
  private readonly chunks: Buffer[] = [];
  private readonly check: boolean;
  private chunked: ChunkReader | null = null;

  constructor(private readonly t: WireTarget) {
    this.check = needsBody(t);
  }

  stalledAt(s: Socket): string {
    if (s.connecting) return `connecting to ${hostPort(this.t.host, this.t.port)}`;
    if (this.phase === 'body') return `body incomplete after ${bytes(this.bodyBytes)}`;
    return this.received === 0 ? 'connected, no response' : `connected, response headers incomplete after ${bytes(this.received)}`;
  }

  closedMidBody = (): string => `connection closed mid-body after ${bytes(this.bodyBytes)}`;

  feed(chunk: Buffer): Verdict | 'more' | 'fallback' {
    this.received += chunk.length;
    if (this.phase === 'request') {
      const buf = this.head ? Buffer.concat([this.head, chunk]) : chunk;
      const end = buf.indexOf('\r\n\r\n', 0, 'latin1');
      if (end < 0) {
        if (buf.length > MAX_HEADER_BYTES || !/^(H|HT|HTT|HTTP|HTTP\/|HTTP\/1|HTTP\/1\.)?$|^HTTP\/1\.[01]/.test(buf.subarray(0, 8).toString('latin1'))) return 'fallback';
        this.head = buf;
        return 'more';
      }
      const parsed = this.headers(buf.subarray(0, end).toString('latin1'));
      if (parsed !== null) return parsed;
      chunk = buf.subarray(end + 4);
      this.phase = 'body';
    }
    return this.body(chunk);
  }

  /** At EOF: a verdict when the body was read to the connection's end, else null (closed early). */
  eof(): Verdict | null {
    if (this.phase === 'body' && this.left === -1) return this.judge(false, false);
    return null;
  }

  /** Reads the head; a verdict or 'fallback' when the body does not matter, else null. */
  private headers(head: string): Verdict | 'fallback' | null {
    const lines = head.split('\r\n');
    const m = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0]!);
    if (!m) return 'fallback';
    this.status = Number(m[2]);
    if (this.status < 200) return 'fallback';
    let length: number | null = null;
    let chunked = false;
    let close = m[1] === '0';
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0) return 'fallback';
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim().toLowerCase();
      if (name === 'content-length') {
        if (!/^\d+$/.test(value) || (length !== null && length !== Number(value))) return 'fallback';
        length = Number(value);
      } else if (name === 'transfer-encoding') {
        if (value !== 'chunked') return 'fallback';
        chunked = true;
      } else if (name === 'connection') close = value.includes('close') ? true : value.includes('keep-alive') ? false : close;
    }
    if (chunked && length !== null) return 'fallback';
    this.keepable = !close;
    const expected = this.t.expectStatus ?? 200;
    if (this.status !== expected) {
      const suffix = expected === 200 ? '' : `, expected ${expected}`;
      return { ok: false, reason: `HTTP ${this.status} from GET ${this.t.url}${suffix}`, keep: false };
    }
    if (this.status === 204 || this.status === 304) length = 0;
    if (chunked) this.chunked = new ChunkReader();
    this.left = chunked ? -2 : length ?? -1;
    if (this.left === -1) this.keepable = false;
    return null;
  }

  private body(chunk: Buffer): Verdict | 'more' | 'fallback' {
    let data = chunk;
    let complete = false;
    if (this.chunked) {
      const c = this.chunked.feed(chunk);
      if (c === 'bad') return 'fallback';
      data = c.data;
      complete = c.done;
    } else if (this.left >= 0) {
      // Bytes past the body: the socket is not in a state to reuse.
      if (data.length > this.left) [data, this.keepable] = [data.subarray(0, this.left), false];
      this.left -= data.length;
      complete = this.left === 0;
    }
    if (this.check && data.length > 0) this.chunks.push(data);
    this.bodyBytes += data.length;
    if (this.bodyBytes >= this.t.cap) return this.judge(true, false);
    return complete ? this.judge(false, this.keepable) : 'more';
  }

  private judge(truncated: boolean, keep: boolean): Verdict {
    const cap = this.t.cap;
    const reason = this.check ? checkBody(Buffer.concat(this.chunks).subarray(0, cap).toString('utf8'), this.t, truncated ? capLabel(cap) : null) : null;
    return reason ? { ok: false, reason, keep: false } : { ok: true, detail: `HTTP ${this.status}`, keep: keep && !truncated };
  }
}

/** Chunked transfer coding: sizes in hex, data, CRLF; ends at the 0 chunk and its (empty) trailer. */
class ChunkReader {
  private pending = Buffer.alloc(0);
  private left = 0;
  private state: 'size' | 'data' | 'crlf' | 'trailer' = 'size';

  feed(chunk: Buffer): { data: Buffer; done: boolean } | 'bad' {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: Buffer[] = [];
    for (;;) {
      if (this.state === 'data') {
        const take = Math.min(this.left, buf.length);
        out.push(buf.subarray(0, take));
        buf = buf.subarray(take);
        this.left -= take;
        if (this.left > 0) break;
        this.state = 'crlf';
      }
      if (this.state === 'crlf' || this.state === 'trailer') {
        if (buf.length < 2) break;
        if (buf[0] !== 13 || buf[1] !== 10) return 'bad';
        buf = buf.subarray(2);
        if (this.state === 'trailer') return buf.length ? 'bad' : { data: Buffer.concat(out), done: true };
        this.state = 'size';
      }
      const eol = buf.indexOf('\r\n', 0, 'latin1');
      if (eol < 0) {
        if (buf.length > 64) return 'bad';
        break;
      }
      const m = /^([0-9a-fA-F]{1,8})(?:;.*)?$/.exec(buf.subarray(0, eol).toString('latin1'));
      if (!m) return 'bad';
      this.left = parseInt(m[1]!, 16);
      buf = buf.subarray(eol + 2);
      this.state = this.left === 0 ? 'trailer' : 'data';
    }
    this.pending = Buffer.from(buf);
    return { data: Buffer.concat(out), done: false };
  }
}
