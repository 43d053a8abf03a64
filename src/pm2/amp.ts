// pm2's wire format, so the monitor can talk to its daemon without loading
// pm2's whole client (see daemon-link.ts). pm2 speaks axon over two unix
// sockets; every message is one amp frame:
//
//   byte 0: version << 4 | argc       (version 1, at most 15 arguments)
//   then per argument: uint32 BE length, bytes
//
// and each argument, as amp-message packs it, is 's:' + a string, 'j:' + JSON,
// or raw bytes. The reader hands over frames undecoded, so a subscriber can
// look at a bus message's topic and skip parsing the rest.

const VERSION = 1;
const STRING = 0x73; // 's'
const JSON_TAG = 0x6a; // 'j'
const COLON = 0x3a;

export type AmpArg = string | Buffer | object | number | boolean | null;

function pack(arg: AmpArg | undefined): Buffer {
  if (Buffer.isBuffer(arg)) return arg;
  if (typeof arg === 'string') return Buffer.from(`s:${arg}`);
  return Buffer.from(`j:${JSON.stringify(arg ?? null)}`);
}

export function encodeFrame(args: readonly (AmpArg | undefined)[]): Buffer {
  if (args.length > 15) throw new RangeError(`an amp frame holds at most 15 arguments, got ${args.length}`);
  const parts = args.map(pack);
  const out = Buffer.allocUnsafe(1 + parts.reduce((n, p) => n + 4 + p.length, 0));
  out[0] = (VERSION << 4) | parts.length;
  let off = 1;
  for (const p of parts) {
    out.writeUInt32BE(p.length, off);
    p.copy(out, off + 4);
    off += 4 + p.length;
  }
  return out;
}

/** One received frame: its arguments as raw slices, decoded only on demand. */
export class Frame {
  constructor(private readonly parts: readonly Buffer[]) {}

  get length(): number {
    return this.parts.length;
  }

  /** Argument `i` as a string when it is one ('s:'), else null; never parses JSON. */
  string(i: number): string | null {
    const p = this.parts[i];
    return p && p[0] === STRING && p[1] === COLON ? p.toString('utf8', 2) : null;
  }

  /** Argument `i` decoded as amp-message would: JSON, string or raw bytes. */
  value(i: number): unknown {
    const p = this.parts[i];
    if (!p) return undefined;
    if (p[1] === COLON && p[0] === JSON_TAG) return JSON.parse(p.toString('utf8', 2));
    if (p[1] === COLON && p[0] === STRING) return p.toString('utf8', 2);
    return p;
  }
}

/**
 * Cuts a byte stream into frames. Chunks are kept as they come and joined once
 * a frame is known to be complete, so a large reply arriving in many chunks
 * costs one copy, not one per chunk.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private size = 0;
  /** Bytes needed before the next parse attempt can succeed. */
  private need = 1;

  constructor(private readonly onFrame: (f: Frame) => void) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size >= this.need) {
      const buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
      const end = frameEnd(buf);
      if (end > buf.length) {
        this.chunks = [buf];
        this.need = end;
        return;
      }
      const rest = buf.subarray(end);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.size = rest.length;
      this.need = 1;
      this.onFrame(new Frame(splitFrame(buf.subarray(0, end))));
    }
  }
}

/** Where the frame starting at buf[0] ends; past buf.length: at least that many bytes are needed. */
function frameEnd(buf: Buffer): number {
  const argc = buf[0]! & 0x0f;
  let off = 1;
  for (let i = 0; i < argc; i++) {
    if (off + 4 > buf.length) return off + 4;
    off += 4 + buf.readUInt32BE(off);
  }
  return off;
}

function splitFrame(frame: Buffer): Buffer[] {
  const argc = frame[0]! & 0x0f;
  const parts: Buffer[] = [];
  let off = 1;
  for (let i = 0; i < argc; i++) {
    const len = frame.readUInt32BE(off);
    parts.push(frame.subarray(off + 4, off + 4 + len));
    off += 4 + len;
  }
  return parts;
}
