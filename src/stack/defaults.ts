import type { Kind } from './schema.js';
import type { Timing } from './types.js';

export interface KindDefaults {
  /** pm2's default is 1.6 s, after which the whole tree gets SIGKILL. */
  readonly stopTimeoutMs: number;
  readonly memoryBytes: number | null;
  /** An exit sooner than this after spawn counts as unstable for pm2's limit. */
  readonly minUptimeMs: number;
  readonly maxRestarts: number;
  /** First restart delay; pm2 multiplies it by 1.5 per crash, capped at 15 s. */
  readonly restartBackoffMs: number;
  readonly health: 'mongo' | 'http' | 'none';
  readonly timing: Timing;
}

const MiB = 1024 ** 2;

// Probe timings: 1 s interval and 3 failures put detection of a hang at 3-4 s,
// which with a forced restart keeps hang-to-healthy under the 8 s bound.
const FAST: Timing = { intervalMs: 1000, timeoutMs: 1000, failureThreshold: 3, startGraceMs: 30_000 };

export const KIND_DEFAULTS: Readonly<Record<Kind, KindDefaults>> = {
  // mongod flushes on SIGINT; killing it mid-flush risks a long recovery. No memory
  // restart: its cache is meant to grow, and restarting a database for it is worse.
  mongod: {
    stopTimeoutMs: 60_000,
    memoryBytes: null,
    minUptimeMs: 15_000,
    maxRestarts: 10,
    restartBackoffMs: 1000,
    health: 'mongo',
    timing: { intervalMs: 2000, timeoutMs: 1000, failureThreshold: 3, startGraceMs: 60_000 },
  },
  uvicorn: { stopTimeoutMs: 15_000, memoryBytes: 512 * MiB, minUptimeMs: 10_000, maxRestarts: 10, restartBackoffMs: 500, health: 'http', timing: FAST },
  python: { stopTimeoutMs: 10_000, memoryBytes: 300 * MiB, minUptimeMs: 10_000, maxRestarts: 10, restartBackoffMs: 500, health: 'none', timing: FAST },
  node: { stopTimeoutMs: 5000, memoryBytes: 256 * MiB, minUptimeMs: 5000, maxRestarts: 10, restartBackoffMs: 500, health: 'none', timing: FAST },
  command: { stopTimeoutMs: 10_000, memoryBytes: null, minUptimeMs: 10_000, maxRestarts: 10, restartBackoffMs: 500, health: 'none', timing: FAST },
  monitor: { stopTimeoutMs: 5000, memoryBytes: 128 * MiB, minUptimeMs: 5000, maxRestarts: 10, restartBackoffMs: 500, health: 'none', timing: FAST },
};

export const DEFAULT_HTTP_PATH = '/health';
export const DEFAULT_HEARTBEAT_MAX_AGE_MS = 60_000;
export const DEFAULT_HEARTBEAT_TIMING: Timing = { intervalMs: 5000, timeoutMs: 1000, failureThreshold: 2, startGraceMs: 60_000 };

/** Environment variables that locate a stack on disk, with their documented defaults. */
export const ENV_DEFAULTS = {
  BOTSTACK_ROOT: '/v3',
  BOTSTACK_VENV: '$BOTSTACK_ROOT/venv',
  BOTSTACK_LOG_DIR: '$BOTSTACK_ROOT/logs',
  BOTSTACK_MONGOD: 'mongod',
  BOTSTACK_MONGO_DBPATH: '$BOTSTACK_ROOT/data/db',
  BOTSTACK_ENV: 'production',
} as const;
