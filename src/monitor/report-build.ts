import type { Stack } from '../stack/types.js';
import type { ServiceHealth } from './health.js';
import type { RestartHistory } from './history.js';
import type { HealthReport, HealthState, ServiceReport } from './report.js';

// The brain's states, as the report `pm2 trigger monitor health` replies with.

const HOUR = 3_600_000;

export interface ReportInput {
  readonly stack: Pick<Stack, 'name' | 'profile'>;
  readonly states: ReadonlyMap<string, ServiceHealth>;
  readonly history: RestartHistory;
  readonly paused: boolean;
  readonly now: number;
  /** A state time as wall-clock ms, for display (the brain's times are monotonic). */
  readonly wall?: (t: number) => number;
  /** The stack's secrets out of the reasons (a probe quotes what a service answered): util/redact.ts. */
  readonly redact?: (text: string) => string;
}

const same = (t: number): number => t;

export function serviceReport(s: ServiceHealth, history: RestartHistory, now: number, wall: (t: number) => number = same, redact: (text: string) => string = (t) => t): ServiceReport {
  const pattern = history.pattern(s.name, now);
  const reason = s.state === 'given-up' && s.givenUpReason ? s.givenUpReason : s.lastError;
  const lastError = reason === null ? null : redact(reason);
  return {
    state: s.state,
    latencyMs: s.latencyMs === null ? null : Math.round(s.latencyMs),
    failures: s.failures,
    heals: s.healsTotal,
    restarts: history.restartsSince(s.name, now - HOUR),
    lastError,
    since: new Date(wall(s.since)).toISOString(),
    ...(s.blockedBy ? { blockedBy: s.blockedBy } : {}),
    ...(s.memoryBytes !== null ? { memoryBytes: s.memoryBytes } : {}),
    ...(pattern ? { pattern } : {}),
    ...(s.note !== null && s.state === 'healthy' ? { note: redact(s.note) } : {}),
  };
}

export function buildReport(input: ReportInput): HealthReport {
  const services: Record<string, ServiceReport> = {};
  const wall = input.wall ?? same;
  for (const [name, s] of input.states) services[name] = serviceReport(s, input.history, input.now, wall, input.redact);
  return { stack: input.stack.name, profile: input.stack.profile, paused: input.paused, generatedAt: new Date(wall(input.now)).toISOString(), services };
}

const NOT_COUNTED: ReadonlySet<HealthState> = new Set(['healthy', 'starting', 'stopped', 'unknown']);

/** Stack-wide counts for `pm2 monit`: healthy, and not working (starting and stopped are neither). */
export function counts(report: HealthReport): { healthy: number; unhealthy: number } {
  const states = Object.values(report.services).map((s) => s.state);
  return { healthy: states.filter((s) => s === 'healthy').length, unhealthy: states.filter((s) => !NOT_COUNTED.has(s)).length };
}
