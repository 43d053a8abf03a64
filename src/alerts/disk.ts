import { stat, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fmtBytes as formatBytes } from '../util/format.js';
import type { AlertTimers } from './timers.js';
import type { AlertEvent, DiskThreshold } from './types.js';

// Low disk: a full disk takes mongod and every log down at once. The log dirs
// and mongod's dbpath are checked once a minute, on their own unref'd timer
// with the async statfs (libuv's thread pool), so a slow disk never holds up a
// probe. One "low" message per filesystem when it crosses the threshold, one
// "ok" when it is back above it with a margin (no flapping at the line).

export interface DiskUsage {
  readonly freeBytes: number;
  readonly totalBytes: number;
}

/** Low when free space is under either limit. */
export function isLow(u: DiskUsage, t: DiskThreshold, margin = 1): boolean {
  const byRatio = t.minFreeRatio !== null && u.freeBytes < u.totalBytes * t.minFreeRatio * margin;
  const byBytes = t.minFreeBytes !== null && u.freeBytes < t.minFreeBytes * margin;
  return byRatio || byBytes;
}

export function describeThreshold(t: DiskThreshold): string {
  const parts = [...(t.minFreeRatio !== null ? [`${Math.round(t.minFreeRatio * 1000) / 10} %`] : []), ...(t.minFreeBytes !== null ? [formatBytes(t.minFreeBytes)] : [])];
  return parts.join(' or ');
}

/** Recovery needs this much headroom over the threshold. */
const OK_MARGIN = 1.05;

export interface DiskWatchOptions {
  readonly paths: readonly string[];
  readonly threshold: DiskThreshold;
  readonly timers: AlertTimers;
  readonly emit: (e: AlertEvent) => void;
  readonly log: (line: string) => void;
  readonly everyMs?: number;
  readonly firstAfterMs?: number;
  /** Tests pass their own. */
  readonly measure?: (path: string) => Promise<{ dev: number; usage: DiskUsage }>;
}

async function existing(path: string): Promise<string> {
  let p = path;
  for (;;) {
    try {
      await stat(p);
      return p;
    } catch {
      if (dirname(p) === p) return p;
      p = dirname(p);
    }
  }
}

export async function measureDisk(path: string): Promise<{ dev: number; usage: DiskUsage }> {
  const p = await existing(path);
  const [st, fs] = await Promise.all([stat(p), statfs(p)]);
  return { dev: st.dev, usage: { freeBytes: Number(fs.bavail) * Number(fs.bsize), totalBytes: Number(fs.blocks) * Number(fs.bsize) } };
}

export class DiskWatch {
  private readonly low = new Set<number>();
  private cancel: (() => void) | null = null;
  private stopped = false;

  constructor(private readonly o: DiskWatchOptions) {}

  start(): void {
    if (this.o.threshold.minFreeRatio === null && this.o.threshold.minFreeBytes === null) return;
    this.schedule(this.o.firstAfterMs ?? 5000);
  }

  stop(): void {
    this.stopped = true;
    this.cancel?.();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.cancel = this.o.timers.after(ms, () => void this.check().finally(() => this.schedule(this.o.everyMs ?? 60_000)));
  }

  /** One round: every path, grouped by filesystem. */
  async check(): Promise<void> {
    const byDev = new Map<number, { paths: string[]; usage: DiskUsage }>();
    for (const path of this.o.paths) {
      try {
        const m = await (this.o.measure ?? measureDisk)(path);
        const g = byDev.get(m.dev) ?? { paths: [], usage: m.usage };
        g.paths.push(path);
        byDev.set(m.dev, g);
      } catch (err) {
        this.o.log(`alerts: cannot read free space of ${path}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    for (const [dev, g] of byDev) this.judge(dev, g.paths, g.usage);
  }

  private judge(dev: number, paths: readonly string[], u: DiskUsage): void {
    const t = this.o.threshold;
    const pct = u.totalBytes > 0 ? Math.round((u.freeBytes / u.totalBytes) * 1000) / 10 : 0;
    const figures = `${paths.join(', ')}: ${formatBytes(u.freeBytes)} free (${pct} %) of ${formatBytes(u.totalBytes)}`;
    if (!this.low.has(dev) && isLow(u, t)) {
      this.low.add(dev);
      this.o.emit({ kind: 'low-disk', service: null, state: 'low', detail: `${figures}; alert below ${describeThreshold(t)}`, next: `du -xsh ${paths[0]}/* | sort -h | tail; botstack doctor`, at: Date.now() });
    } else if (this.low.has(dev) && !isLow(u, t, OK_MARGIN)) {
      this.low.delete(dev);
      this.o.emit({ kind: 'disk-ok', service: null, state: 'ok', detail: figures, next: 'nothing', at: Date.now() });
    }
  }
}
