import type { Observation, ServiceHealth } from './health.js';

// When to measure a service's memory, and whether the figure is news for the
// brain. A service with a memory limit is measured every tick (a limit must
// act within 2 intervals); one without only every 10 s, for the report:
// walking a uvicorn tree reads one file per thread, and that is most of a
// tick's cost.

const UNLIMITED_MEMORY_EVERY_MS = 10_000;

/** `record`: the verdict is unchanged, keep the figure; `observe`: the brain must see it. */
export type MemoryReading = { readonly kind: 'record'; readonly bytes: number } | { readonly kind: 'observe'; readonly obs: Observation };

export class MemoryWatch {
  private readonly measuredAt = new Map<string, number>();

  constructor(
    private readonly limits: ReadonlyMap<string, number | null>,
    private readonly treeRss: (pid: number) => number | null,
  ) {}

  /** null: nothing measured (no process, a heal under way, not due, or unreadable). */
  check(name: string, s: ServiceHealth, now: number): MemoryReading | null {
    const limit = this.limits.get(name) ?? null;
    if (s.pid <= 0 || s.state === 'healing') return null;
    if (limit === null && now - (this.measuredAt.get(name) ?? -Infinity) < UNLIMITED_MEMORY_EVERY_MS) return null;
    this.measuredAt.set(name, now);
    const bytes = this.treeRss(s.pid);
    if (bytes === null) return null;
    if ((limit !== null && bytes > limit) === s.overMemory) return { kind: 'record', bytes };
    return { kind: 'observe', obs: { kind: 'memory', at: now, bytes, limit } };
  }
}
