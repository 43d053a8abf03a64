import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { classify, ERROR_KINDS, lineTime, type ErrorKind, type LogLine } from './line.js';
import { offsetSince } from './tail.js';

// Counts error lines in a log by streaming it forwards. Memory is one read
// buffer plus the last `keep` matches, whatever the file's size.

export type ErrorCounts = Record<ErrorKind, number> & { total: number };

export interface ScanResult {
  readonly file: string;
  readonly counts: ErrorCounts;
  /** The newest matching lines, oldest first. */
  readonly recent: readonly (LogLine & { readonly kind: ErrorKind })[];
  readonly bytesScanned: number;
}

export const zeroCounts = (): ErrorCounts => ({ traceback: 0, signal: 0, exception: 0, error: 0, total: 0 });

export function addCounts(a: ErrorCounts, b: ErrorCounts): ErrorCounts {
  const out = zeroCounts();
  for (const k of ERROR_KINDS) out[k] = a[k] + b[k];
  out.total = a.total + b.total;
  return out;
}

export interface ScanOptions {
  readonly sinceMs?: number;
  /** How many of the newest matches to keep. */
  readonly keep?: number;
  readonly signal?: AbortSignal;
}

export async function scanErrors(file: string, opts: ScanOptions = {}): Promise<ScanResult> {
  const start = opts.sinceMs === undefined ? 0 : await offsetSince(file, opts.sinceMs);
  const counts = zeroCounts();
  const keep = opts.keep ?? 5;
  const recent: (LogLine & { kind: ErrorKind })[] = [];
  if (start < 0) return { file, counts, recent, bytesScanned: 0 };
  const stream = createReadStream(file, { start, highWaterMark: 256 * 1024, ...(opts.signal ? { signal: opts.signal } : {}) });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const text of rl) {
    const kind = classify(text);
    if (kind === null) continue;
    counts[kind] += 1;
    counts.total += 1;
    if (keep === 0) continue;
    recent.push({ time: lineTime(text), text, kind });
    if (recent.length > keep) recent.shift();
  }
  return { file, counts, recent, bytesScanned: stream.bytesRead };
}
