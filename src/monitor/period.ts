// Restarts that recur at a regular period: the signature of a file watcher, a
// cron job or a deploy hook (the incident's `git pull` every ~25 min under
// `uvicorn --reload`). Pure; fed with restart times, oldest first.

export interface Period {
  readonly count: number;
  readonly periodMs: number;
}

export interface PeriodOptions {
  /** Fewer gaps than this is a coincidence, not a pattern. */
  readonly minGaps: number;
  /** A gap within this fraction of the median gap counts as regular. */
  readonly tolerance: number;
  /** Share of gaps that must be regular. */
  readonly minRegularShare: number;
  /** Faster than this is a crash loop, reported elsewhere. */
  readonly minPeriodMs: number;
}

export const DEFAULT_PERIOD: PeriodOptions = { minGaps: 3, tolerance: 0.2, minRegularShare: 0.6, minPeriodMs: 60_000 };

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** The regular period of `times`, or null. One stray restart (a manual one) does not hide it. */
export function detectPeriod(times: readonly number[], opts: PeriodOptions = DEFAULT_PERIOD): Period | null {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push(times[i]! - times[i - 1]!);
  if (gaps.length < opts.minGaps) return null;
  const m = median(gaps);
  if (m < opts.minPeriodMs) return null;
  const regular = gaps.filter((g) => Math.abs(g - m) <= opts.tolerance * m);
  if (regular.length < opts.minGaps || regular.length / gaps.length < opts.minRegularShare) return null;
  return { count: times.length, periodMs: median(regular) };
}

export function formatPeriod(ms: number): string {
  if (ms < 90_000) return `~${Math.round(ms / 1000)} s`;
  if (ms < 90 * 60_000) return `~${Math.round(ms / 60_000)} min`;
  return `~${Math.round(ms / 3_600_000)} h`;
}

/** "api restarted 6 times, every ~25 min: look for a file watcher, cron job or deploy hook" */
export function describePeriod(name: string, p: Period): string {
  return `${name} restarted ${p.count} times, every ${formatPeriod(p.periodMs)}: look for a file watcher, cron job or deploy hook`;
}
