import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pm2Accepts } from '../../../scripts/corpus/pm2-accepts.js';
import { RULES, scoreCorpus, type CorpusEntry, type FileResult } from '../../../scripts/corpus/score.js';

// The corpus benchmark's scoring, the corpus file's shape, and pm2's verdict on a file.

const entry = (expect: Record<string, number>, over: Partial<CorpusEntry> = {}): CorpusEntry => ({ repo: 'o/r', path: 'f.js', commit: 'c'.repeat(40), kind: 'pm2-js', pm2Accepts: true, expect, ...over });
const result = (e: CorpusEntry, found: Record<string, number>, exit2 = false): FileResult => ({ entry: e, exit2, errors: exit2 ? ['f.js: cannot load'] : [], found, ms: 1 });

describe('corpus scoring', () => {
  it('counts per file and rule: extra findings are false positives, missing ones false negatives', () => {
    const s = scoreCorpus([
      result(entry({ 'watch-on': 1, 'no-memory-limit': 2 }), { 'watch-on': 1, 'no-memory-limit': 1, 'no-logs': 1 }),
      result(entry({}, { path: 'g.sh', kind: 'shell', pm2Accepts: null }), { 'no-logs': 2 }),
    ]);
    expect(s.perRule['watch-on']).toEqual({ tp: 1, fp: 0, fn: 0, precision: 1, recall: 1 });
    expect(s.perRule['no-memory-limit']).toEqual({ tp: 1, fp: 0, fn: 1, precision: 1, recall: 0.5 });
    expect(s.perRule['no-logs']).toEqual({ tp: 0, fp: 3, fn: 0, precision: 0, recall: null });
    expect(s.overall).toMatchObject({ tp: 2, fp: 3, fn: 1 });
    expect(s.falsePositives).toEqual([{ rule: 'no-logs', file: 'o/r/f.js', count: 1 }, { rule: 'no-logs', file: 'o/r/g.sh', count: 2 }]);
    expect(s.falseNegatives).toEqual([{ rule: 'no-memory-limit', file: 'o/r/f.js', count: 1, exit2: false }]);
  });

  it('a file that exits 2 misses every tag, and counts against "pm2 accepts it" only when pm2 does', () => {
    const s = scoreCorpus([result(entry({ 'unbounded-restarts': 1 }), {}, true), result(entry({}, { kind: 'systemd', pm2Accepts: null }), {}, true)]);
    expect(s.perRule['unbounded-restarts']).toMatchObject({ tp: 0, fn: 1, recall: 0 });
    expect([s.exit2, s.exit2Accepted]).toEqual([2, 1]);
  });

  it('the committed corpus: 80+ files, each pinned to a commit, tagged only with known rules, no file text', () => {
    const corpus = JSON.parse(readFileSync(join(resolve(import.meta.dirname, '..', '..', '..'), 'test', 'corpus', 'corpus.json'), 'utf8')) as { files: CorpusEntry[] };
    expect(corpus.files.length).toBeGreaterThanOrEqual(80);
    for (const f of corpus.files) {
      expect(f.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(Object.keys(f).every((k) => ['repo', 'path', 'commit', 'kind', 'pm2Accepts', 'expect', 'note', 'health'].includes(k))).toBe(true);
      for (const rule of Object.keys(f.expect)) expect(RULES).toContain(rule);
      expect(f.pm2Accepts === null).toBe(!f.kind.startsWith('pm2-'));
    }
    expect(new Set(corpus.files.map((f) => `${f.repo}/${f.path}`)).size).toBe(corpus.files.length);
  });

  it("issue 15's collected scripts: 15+ real start/deploy scripts, pinned, tagged only with known rules, health tags as service -> path or null", () => {
    const list = JSON.parse(readFileSync(join(resolve(import.meta.dirname, '..', '..', '..'), 'test', 'corpus', 'init-scripts.json'), 'utf8')) as { files: (CorpusEntry & { health?: Record<string, string | null> })[] };
    expect(list.files.length).toBeGreaterThanOrEqual(15);
    for (const f of list.files) {
      expect(f.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(Object.keys(f).every((k) => ['repo', 'path', 'commit', 'kind', 'expect', 'note', 'health'].includes(k))).toBe(true);
      for (const rule of Object.keys(f.expect)) expect(RULES).toContain(rule);
      for (const v of Object.values(f.health ?? {})) expect(v === null || v.startsWith('/')).toBe(true);
    }
  });
});

describe("pm2's own verdict on a file (scripts/corpus/pm2-accepts.ts)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'botstack-pm2-accepts-'));
  const file = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('accepts what pm2 accepts: a trailing comma and // comments in .json, cmd for script, a single app object', () => {
    expect(pm2Accepts(file('a.json', '{\n  // the api\n  "apps": [{ "name": "api", "script": "uvicorn", }]\n}\n'))).toEqual({ ok: true });
    expect(pm2Accepts(file('b.json', '{ "apps": [{ "name": "bot", "cmd": "bot.py" }] }'))).toEqual({ ok: true });
    expect(pm2Accepts(file('c.json', '{ "name": "bot", "script": "bot.py" }'))).toEqual({ ok: true });
  });

  it('refuses what pm2 refuses: no script, a syntax error', () => {
    expect(pm2Accepts(file('d.json', '{ "apps": [{ "name": "x", "args": "--port 1" }] }'))).toEqual({ ok: false, why: 'apps[0]: No script path - aborting' });
    expect(pm2Accepts(file('e.json', '{ "apps": [ { "name": "x" '))).toMatchObject({ ok: false });
  });
});
