import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graph } from '../../helpers/import-graph.js';
import { REPO } from '../../helpers/project.js';

// The monitor runs all day on the VPS it guards, so what it loads is part of
// its cost. Each of these packages was loaded once by an innocent import and
// cost MiBs of RSS: zod (~6 MiB) through a constant in stack/compile.ts, pm2's
// client (~7 MiB) before pm2/daemon-link.ts. This walks the monitor's static
// import graph (type-only imports are erased and skipped) to keep them out.

describe("the monitor's footprint", () => {
  it('imports no npm package statically (zod, pm2), nor the stack loader', () => {
    const g = graph(join(REPO, 'src/monitor/main.ts'));
    expect(g.files).toContain('src/pm2/daemon-link.ts');
    expect([...g.packages].filter((p) => !p.startsWith('node:'))).toEqual([]);
    // launch-held.ts and rolling.ts (the socket holder's client, for heals by a rolling restart) are node:-only.
    expect(g.files.filter((f) => f.startsWith('src/stack/')).sort()).toEqual(['src/stack/env-key.ts', 'src/stack/launch-held.ts', 'src/stack/rolling.ts']);
  });

  it('control: the walk does see zod behind stack/compile.ts', () => {
    const g = graph(join(REPO, 'src/stack/compile.ts'));
    expect(g.packages).toContain('zod');
  });
});
