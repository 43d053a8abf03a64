// `botstack init` and the issue-15 rules on real files: every file of
// test/corpus/corpus.json plus the start and deploy scripts collected for
// issue 15 (test/corpus/init-scripts.json), each read in its own checkout (the
// whole repo at the pinned commit, in .corpus-cache/, filled by
// scripts/corpus/fill-cache.ts), as a user would run init in their folder.
//   npx tsx scripts/bench-init-real.ts [--json]
// Reports: stacks that compile with every path resolved, stacks whose folders
// and scripts exist in the checkout's layout, health routes against the hand
// tags (`health`), and the new rules' precision/recall on the collected scripts.
// Method and figures: BENCHMARKS.md, "init on real scripts".
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkFile } from '../src/rules/check-file.js';
import { initReal, type InitReal } from './corpus/init-real.js';

const ROOT = resolve(import.meta.dirname, '..');
const NEW_RULES = ['auto-pull', 'db-data-in-tmp', 'unresolved-path', 'pip-install-on-start', 'service-dotenv-override'] as const;

interface Entry {
  readonly repo: string;
  readonly path: string;
  readonly commit: string;
  readonly kind: string;
  readonly expect?: Readonly<Record<string, number>>;
  /** Hand tags: service name -> the health route its app code declares (null: none of the looked-for names). */
  readonly health?: Readonly<Record<string, string | null>>;
}

const read = (f: string): Entry[] => (JSON.parse(readFileSync(join(ROOT, 'test', 'corpus', f), 'utf8')) as { files: Entry[] }).files;
const cached = (e: Entry): string => join(ROOT, '.corpus-cache', e.repo.replace('/', '+'), e.commit, e.path);
const corpus = read('corpus.json');
const collected = read('init-scripts.json');
const all = [...corpus, ...collected].filter((e) => existsSync(cached(e)));

const results: { e: Entry; r: InitReal }[] = [];
for (const e of all) results.push({ e, r: await initReal(cached(e), `${e.repo}/${e.path}`) });
const written = results.filter((x) => x.r.outcome === 'written');
const resolvedAll = written.filter((x) => x.r.fillIns === 0 && x.r.loads);
const layout = written.filter((x) => x.r.layout);

// Health routes: each tagged service, against what init wrote.
const health = { found: 0, wrong: 0, missed: 0, tcpRight: 0, details: [] as string[] };
for (const { e, r } of results) {
  for (const [name, want] of Object.entries(e.health ?? {})) {
    const got = r.services.find((s) => s.name === name)?.health ?? null;
    if (want !== null && got === want) health.found++;
    else if (want === null && got === null) health.tcpRight++;
    else if (want !== null && got === null) (health.missed++, health.details.push(`missed ${want} in ${e.repo}/${e.path} (${name})`));
    else (health.wrong++, health.details.push(`wrote ${got} for ${name} in ${e.repo}/${e.path}, the code says ${want ?? 'none'}`));
  }
}

// The new rules on the collected scripts (corpus.json's are scored by bench-check-corpus.ts).
const score: Record<string, { tp: number; fp: number; fn: number }> = Object.fromEntries(NEW_RULES.map((r) => [r, { tp: 0, fp: 0, fn: 0 }]));
const misses: string[] = [];
for (const e of collected.filter((x) => existsSync(cached(x)))) {
  const c = await checkFile(cached(e), `${e.repo}/${e.path}`, {});
  const found = c.ok ? c.findings : [];
  for (const rule of NEW_RULES) {
    const n = found.filter((f) => f.rule === rule).length;
    const want = e.expect?.[rule] ?? 0;
    const s = score[rule]!;
    s.tp += Math.min(n, want);
    s.fp += Math.max(0, n - want);
    s.fn += Math.max(0, want - n);
    if (n !== want) misses.push(`${rule.padEnd(24)} ${e.repo}/${e.path}: ${n} found, ${want} tagged`);
  }
}

const ratio = (a: number, b: number): string => (b === 0 ? '-' : (a / b).toFixed(2));
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ files: all.length, written: written.length, resolved: resolvedAll.length, layout: layout.length, health, score, misses }, null, 2));
} else {
  console.log(`init on ${all.length} real files (${corpus.length} of the corpus, ${collected.length} collected for issue 15), each in its own checkout:`);
  console.log(`  ${written.length} stacks written, ${results.filter((x) => x.r.outcome === 'no-service').length} files with no service (deploy and setup scripts), ${results.filter((x) => x.r.outcome === 'unreadable').length} unreadable`);
  console.log(`  ${resolvedAll.length} of ${written.length} compile with every path resolved (no FILL IN, botstack's loader accepts them)`);
  console.log(`  ${layout.length} of ${written.length} have every service's folder and script in the checkout's own layout`);
  for (const x of written.filter((w) => w.r.fillIns > 0)) console.log(`    FILL IN left: ${x.r.label}: ${x.r.errors.find((m) => m.startsWith('unresolved-path')) ?? ''}`.slice(0, 220));
  console.log(`health routes (hand-tagged services whose app code is in the repo): ${health.found} found, ${health.missed} missed, ${health.wrong} wrong; ${health.tcpRight} with no such route left on TCP`);
  for (const d of health.details) console.log(`    ${d}`);
  console.log('\nnew rules on the collected scripts:');
  console.log('rule                      TP   FP   FN  precision  recall');
  for (const [rule, s] of Object.entries(score)) console.log(`${rule.padEnd(24)} ${String(s.tp).padStart(3)}  ${String(s.fp).padStart(3)}  ${String(s.fn).padStart(3)}  ${ratio(s.tp, s.tp + s.fp).padStart(9)}  ${ratio(s.tp, s.tp + s.fn).padStart(6)}`);
  for (const m of misses) console.log(`    ${m}`);
}
