import { existsSync } from 'node:fs';
import type { LogFile, Stream } from './files.js';
import type { ErrorKind } from './line.js';
import { addCounts, scanErrors, zeroCounts, type ErrorCounts } from './scan.js';
import { tailFile } from './tail.js';

// What `botstack logs` reports, as data: per service, its files and either the
// newest lines (out and err merged by time) or its error counts.

export interface ShownLine {
  readonly stream: Stream;
  readonly time: number | null;
  readonly text: string;
}

export interface ServiceLogs {
  readonly service: string;
  readonly files: readonly string[];
  /** Files the stack names that do not exist yet. */
  readonly missing: readonly string[];
  readonly lines: readonly ShownLine[];
}

export interface ServiceErrors {
  readonly service: string;
  readonly files: readonly string[];
  readonly missing: readonly string[];
  readonly counts: ErrorCounts;
  readonly recent: readonly (ShownLine & { readonly kind: ErrorKind })[];
  readonly bytesScanned: number;
}

const byService = (files: readonly LogFile[]): Map<string, LogFile[]> => {
  const m = new Map<string, LogFile[]>();
  for (const f of files) m.set(f.service, [...(m.get(f.service) ?? []), f]);
  return m;
};

// Stable merge: lines without a time keep the place of the line above them.
function mergeByTime<T extends { time: number | null }>(lists: readonly (readonly T[])[], max: number): T[] {
  const keyed = lists.flatMap((list) => {
    let last = 0;
    return list.map((l, i) => ({ l, t: (last = l.time ?? last), i }));
  });
  keyed.sort((a, b) => a.t - b.t || a.i - b.i);
  return keyed.slice(Math.max(0, keyed.length - max)).map((k) => k.l);
}

export async function readLogs(files: readonly LogFile[], opts: { lines: number; sinceMs?: number }): Promise<ServiceLogs[]> {
  const out: ServiceLogs[] = [];
  for (const [service, list] of byService(files)) {
    const present = list.filter((f) => existsSync(f.path));
    const per = await Promise.all(
      present.map(async (f) => (await tailFile(f.path, { lines: opts.lines, ...(opts.sinceMs !== undefined ? { sinceMs: opts.sinceMs } : {}) })).map((l) => ({ stream: f.stream, ...l }))),
    );
    out.push({ service, files: list.map((f) => f.path), missing: list.filter((f) => !present.includes(f)).map((f) => f.path), lines: mergeByTime(per, opts.lines) });
  }
  return out;
}

export async function readErrors(files: readonly LogFile[], opts: { recent: number; sinceMs?: number; signal?: AbortSignal }): Promise<ServiceErrors[]> {
  const out: ServiceErrors[] = [];
  for (const [service, list] of byService(files)) {
    const present = list.filter((f) => existsSync(f.path));
    let counts = zeroCounts();
    let bytesScanned = 0;
    const recents: (ShownLine & { kind: ErrorKind })[][] = [];
    for (const f of present) {
      const r = await scanErrors(f.path, { keep: opts.recent, ...(opts.sinceMs !== undefined ? { sinceMs: opts.sinceMs } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
      counts = addCounts(counts, r.counts);
      bytesScanned += r.bytesScanned;
      recents.push(r.recent.map((l) => ({ stream: f.stream, ...l })));
    }
    out.push({ service, files: list.map((f) => f.path), missing: list.filter((f) => !present.includes(f)).map((f) => f.path), counts, recent: mergeByTime(recents, opts.recent), bytesScanned });
  }
  return out;
}
