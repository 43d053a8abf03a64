// Scoring for scripts/bench-check-corpus.ts, kept pure so a unit test can pin it.
// Per file and rule, the tag says how many findings are true; a finding beyond
// that count is a false positive, a tagged one not found is a false negative.
// A file check cannot read (exit 2) finds nothing, so each of its tags is missed.

export const RULES = [
  'watch-on',
  'reload-flag',
  'no-memory-limit',
  'unbounded-restarts',
  'short-kill-timeout-db',
  'db-public-bind',
  'inline-secret',
  'python-buffered',
  'no-venv',
  'dup-name',
  'dup-port',
  'no-logs',
  'auto-pull',
  'db-data-in-tmp',
  'unresolved-path',
  'pip-install-on-start',
  'service-dotenv-override',
] as const;

export interface CorpusEntry {
  readonly repo: string;
  readonly path: string;
  readonly commit: string;
  /** pm2-js, pm2-json, pm2-yml, shell, systemd, procfile, dockerfile, crontab. */
  readonly kind: string;
  /** For pm2 files: whether `pm2 start <file>` starts its apps. null for other kinds. */
  readonly pm2Accepts: boolean | null;
  /** Rule id -> how many true findings the file has. Rules not listed: none. */
  readonly expect: Readonly<Record<string, number>>;
  readonly note?: string;
}

export interface FileResult {
  readonly entry: CorpusEntry;
  readonly exit2: boolean;
  readonly errors: readonly string[];
  readonly found: Readonly<Record<string, number>>;
  readonly ms: number;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  precision: number | null;
  recall: number | null;
}

const counts = (): Counts => ({ tp: 0, fp: 0, fn: 0, precision: null, recall: null });

function finish(c: Counts): Counts {
  c.precision = c.tp + c.fp === 0 ? null : c.tp / (c.tp + c.fp);
  c.recall = c.tp + c.fn === 0 ? null : c.tp / (c.tp + c.fn);
  return c;
}

export function scoreCorpus(results: readonly FileResult[]) {
  const perRule: Record<string, Counts> = Object.fromEntries(RULES.map((r) => [r, counts()]));
  const overall = counts();
  const falsePositives: { rule: string; file: string; count: number }[] = [];
  const falseNegatives: { rule: string; file: string; count: number; exit2: boolean }[] = [];
  for (const r of results) {
    const file = `${r.entry.repo}/${r.entry.path}`;
    for (const rule of RULES) {
      const want = r.entry.expect[rule] ?? 0;
      const got = r.found[rule] ?? 0;
      const c = perRule[rule] as Counts;
      const tp = Math.min(want, got);
      c.tp += tp;
      c.fp += got - tp;
      c.fn += want - tp;
      if (got > tp) falsePositives.push({ rule, file, count: got - tp });
      if (want > tp) falseNegatives.push({ rule, file, count: want - tp, exit2: r.exit2 });
    }
  }
  for (const c of Object.values(perRule)) {
    finish(c);
    overall.tp += c.tp;
    overall.fp += c.fp;
    overall.fn += c.fn;
  }
  const exit2Files = results
    .filter((r) => r.exit2)
    .map((r) => ({ file: `${r.entry.repo}/${r.entry.path}`, kind: r.entry.kind, pm2Accepts: r.entry.pm2Accepts === true, error: (r.errors[0] ?? '').split('\n')[0] ?? '' }));
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  return {
    perRule,
    overall: finish(overall),
    exit2: exit2Files.length,
    exit2Accepted: exit2Files.filter((f) => f.pm2Accepts).length,
    exit2Files,
    falsePositives,
    falseNegatives,
    medianMs: ms.length === 0 ? 0 : (ms[Math.floor(ms.length / 2)] ?? 0),
  };
}
