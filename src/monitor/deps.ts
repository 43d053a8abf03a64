import type { Bus } from '../pm2/bus-dispatch.js';
import type { ProcessInfo } from '../pm2/types.js';
import type { Probe } from '../probes/types.js';
import type { Stack } from '../stack/types.js';
import type { Clock } from './clock.js';
import type { HealerPm2 } from './healer.js';
import type { ServiceHealth } from './health.js';
import type { RestartHistory } from './history.js';
import type { HistoryStore } from './history-store.js';
import type { HealPolicy } from './policy.js';
import type { IoSink } from './sink.js';

// What the monitor is given: everything with a side effect (pm2, the @pm2/io
// sink, the clock, /proc) comes in from outside, so tests pass fakes.

export interface MonitorPm2 extends HealerPm2 {
  list(): Promise<ProcessInfo[]>;
  bus(): Promise<Bus>;
}

export interface MonitorDeps {
  readonly stack: Stack;
  readonly probes: ReadonlyMap<string, Probe>;
  readonly pm2: MonitorPm2;
  readonly sink: IoSink;
  readonly clock: Clock;
  readonly policy: HealPolicy;
  readonly treeRss: (pid: number) => number | null;
  readonly isAlive: (pid: number) => boolean;
  readonly log: (line: string) => void;
  /** The stack's secrets out of the report's reasons (util/redact.ts); none: shown as the probes said them. */
  readonly redact?: (text: string) => string;
  /** How often pm2's list is re-read besides bus events (which trigger a read at once); default 15 s. */
  readonly reconcileMs?: number;
  /** Where restart history survives a restart of the monitor; none: memory only. */
  readonly store?: HistoryStore;
  /**
   * When a process started, on `clock`'s timeline. Production reads /proc
   * (util/mono.ts): pm2's `startedAt` is the daemon's wall clock, which may
   * have stepped. Default: pm2's figure as is (fakes in tests share one clock).
   */
  readonly processStart?: (p: ProcessInfo) => number | null;
  /** Called when a service has a new process: probes that learn about a process (the heartbeat) start over. */
  readonly rearm?: (name: string) => void;
  /** Called with every probe's duration (the /metrics histogram); must be O(1). */
  readonly onProbe?: (name: string, latencyMs: number) => void;
}

/** Sees the settled states; `now` is on the monitor's clock (the one history's times are on). */
export type SettledObserver = (states: ReadonlyMap<string, ServiceHealth>, history: RestartHistory, now: number) => void;
