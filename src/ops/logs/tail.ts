import { linesBackward } from './backward.js';
import { lineTime, type LogLine } from './line.js';

// The last lines of one file, or the lines since a moment, read from the end.

export interface TailOptions {
  /** At most this many lines (the newest). */
  readonly lines?: number;
  /** Only lines stamped at or after this ms epoch. */
  readonly sinceMs?: number;
  /** Only lines this predicate keeps (counted against `lines`). */
  readonly keep?: (text: string) => boolean;
}

/** Oldest first. Stops reading at the first stamped line older than `sinceMs`. */
export async function tailFile(file: string, opts: TailOptions): Promise<LogLine[]> {
  const out: LogLine[] = [];
  const max = opts.lines ?? Infinity;
  // Unstamped lines belong to the stamped line above them: hold them until it shows up.
  let pending: LogLine[] = [];
  for await (const { text } of linesBackward(file)) {
    const time = lineTime(text);
    if (time === null) {
      if (!opts.keep || opts.keep(text)) pending.push({ time, text });
      continue;
    }
    if (opts.sinceMs !== undefined && time < opts.sinceMs) break;
    if (!opts.keep || opts.keep(text)) pending.push({ time, text });
    out.push(...pending);
    pending = [];
    if (out.length >= max) break;
  }
  if (opts.sinceMs === undefined) out.push(...pending);
  return out.slice(0, Math.min(out.length, max)).reverse();
}

/** Byte offset of the first line stamped at or after `sinceMs`, or -1 when no line is that new. */
export async function offsetSince(file: string, sinceMs: number): Promise<number> {
  let offset: number | null = null;
  for await (const line of linesBackward(file)) {
    const time = lineTime(line.text);
    if (time !== null && time < sinceMs) break;
    offset = line.offset;
  }
  return offset ?? -1;
}
