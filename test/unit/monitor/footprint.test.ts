import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../helpers/project.js';

// The monitor runs all day on the VPS it guards, so what it loads is part of
// its cost. Each of these packages was loaded once by an innocent import and
// cost MiBs of RSS: zod (~6 MiB) through a constant in stack/compile.ts, pm2's
// client (~7 MiB) before pm2/daemon-link.ts. This walks the monitor's static
// import graph (type-only imports are erased and skipped) to keep them out.

function graph(entry: string): { files: string[]; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/^\s*(import|export)\s+(type\s+)?([^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
      if (m[2]) continue;
      // `import { type A, type B } from` is erased too.
      if (m[3] && /^\{\s*(type\s+\w+\s*,?\s*)+\}\s+from\s+$/.test(m[3].trim() + ' ')) continue;
      const spec = m[4]!;
      if (spec.startsWith('.')) walk(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  walk(entry);
  return { files: [...files].map((f) => relative(REPO, f)), packages };
}

describe("the monitor's footprint", () => {
  it('imports no npm package statically (zod, pm2), nor the stack loader', () => {
    const g = graph(join(REPO, 'src/monitor/main.ts'));
    expect(g.files).toContain('src/pm2/daemon-link.ts');
    expect([...g.packages].filter((p) => !p.startsWith('node:'))).toEqual([]);
    expect(g.files.filter((f) => f.startsWith('src/stack/'))).toEqual(['src/stack/env-key.ts']);
  });

  it('control: the walk does see zod behind stack/compile.ts', () => {
    const g = graph(join(REPO, 'src/stack/compile.ts'));
    expect(g.packages).toContain('zod');
  });
});
