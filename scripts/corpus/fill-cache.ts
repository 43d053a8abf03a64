// Fills .corpus-cache/ from local git mirrors instead of the network: for each
// corpus entry (test/corpus/corpus.json and test/corpus/init-scripts.json) whose
// repository has a mirror at <mirrors>/<owner>+<repo>/repo, the whole tree at the
// pinned commit is unpacked into .corpus-cache/<owner>+<repo>/<commit>/, so the
// files around each one (the deploy script a unit runs, the app module a command
// names, a service's own .env) are there too.
//   npx tsx scripts/corpus/fill-cache.ts [mirrors folder, default /work/.mirror]
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';

const ROOT = resolve(import.meta.dirname, '..', '..');
const MIRRORS = process.argv[2] ?? '/work/.mirror';
const lists = ['corpus.json', 'init-scripts.json'].map((f) => join(ROOT, 'test', 'corpus', f)).filter(existsSync);
const entries = lists.flatMap((f) => (JSON.parse(readFileSync(f, 'utf8')) as { files: { repo: string; commit: string; path: string }[] }).files);
let filled = 0;
let missing = 0;
const done = new Set<string>();
for (const e of entries) {
  const key = `${e.repo}@${e.commit}`;
  if (done.has(key)) continue;
  done.add(key);
  const dest = join(ROOT, '.corpus-cache', e.repo.replace('/', '+'), e.commit);
  if (existsSync(dest)) continue;
  const base = join(MIRRORS, e.repo.replace('/', '+'), 'repo');
  const gitDir = existsSync(join(base, '.git')) ? join(base, '.git') : base;
  try {
    mkdirSync(dest, { recursive: true });
    const tar = execFileSync('git', ['--git-dir', gitDir, 'archive', '--format=tar', e.commit], { maxBuffer: 512 * 1024 * 1024 });
    execFileSync('tar', ['-x', '-C', dest], { input: tar });
    filled++;
  } catch {
    // A tree with a file the snapshot lacks (over 4 MiB, LFS): the listed files alone.
    rmSync(dest, { recursive: true, force: true });
    for (const f of entries.filter((x) => x.repo === e.repo && x.commit === e.commit)) {
      try {
        const text = execFileSync('git', ['--git-dir', gitDir, 'show', `${f.commit}:${f.path}`], { maxBuffer: 64 * 1024 * 1024 });
        mkdirSync(dirname(join(dest, f.path)), { recursive: true });
        writeFileSync(join(dest, f.path), text);
        filled++;
      } catch (err) {
        missing++;
        console.error(`no mirror or commit for ${key} ${f.path}: ${(err as Error).message.split('\n')[0]}`);
      }
    }
  }
}
console.log(`filled ${filled}, missing ${missing}, of ${done.size} repository commits`);
