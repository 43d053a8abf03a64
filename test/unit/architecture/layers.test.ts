import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { checkLayers, readImports, type Edge } from '../../helpers/layers.js';
import { REPO } from '../../helpers/project.js';

// Imports point down the layers (test/helpers/layers.ts), nothing outside src/cli/
// imports src/cli/, and there is no import circle.

/** Known breaks of the layering, by exact key (an edge `from -> to`, or a circle's files). None: keep it so. */
const KNOWN: readonly string[] = [];

/** A throwaway src/ tree: path -> text. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'botstack-layers-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('the layers of src/', () => {
  const edges = readImports(join(REPO, 'src'));

  it('has no upward import, no import of cli/ from outside it and no circle, beyond the known ones', () => {
    const found = checkLayers(edges);
    const unknown = found.filter((v) => !KNOWN.includes(v.key)).map((v) => v.message);
    const gone = KNOWN.filter((k) => !found.some((v) => v.key === k)).map((k) => `fixed, remove from KNOWN: ${k}`);
    expect([...unknown, ...gone]).toEqual([]);
  });

  it('reads the real tree: every room, and the imports a regex would miss', () => {
    expect(edges.length).toBeGreaterThan(500);
    const has = (from: string, to: string) => edges.some((e) => e.from === from && e.to === to);
    expect(has('rules/source/read.ts', 'rules/source/places.ts')).toBe(true); // dynamic import('./places.js')
    expect(has('stack/launch.ts', 'stack/context.ts')).toBe(true); // import type
    expect(has('index.ts', 'stack/index.ts')).toBe(true); // export * from
  });

  it('fails on one upward import added to the real graph', () => {
    const bad: Edge = { from: 'stack/resolve.ts', to: 'monitor/monitor.ts' };
    const before = checkLayers(edges).map((v) => v.message);
    const added = checkLayers([...edges, bad]).filter((v) => !before.includes(v.message));
    expect(added.map((v) => v.message)).toEqual(['stack/resolve.ts -> monitor/monitor.ts: stack (layer 1) imports monitor (layer 2), which sits above it; move the shared part down']);
  });

  it('fails on one import added to the real graph that closes a circle', () => {
    const bad: Edge = { from: 'stack/context.ts', to: 'stack/resolve.ts' };
    const before = checkLayers(edges).map((v) => v.message);
    const added = checkLayers([...edges, bad]).filter((v) => !before.includes(v.message));
    expect(added.map((v) => v.message)).toEqual(['import circle: stack/context.ts -> stack/resolve.ts -> stack/context.ts (3 files: stack/context.ts, stack/launch.ts, stack/resolve.ts)']);
  });
});

describe('the layer checker', () => {
  it('finds upward imports, cli/ imports, rooms in no layer and circles, of every import form', () => {
    const dir = tree({
      'util/clock.ts': "import type { Stack } from '../stack/types.js';\nexport const now = 1;\n",
      'stack/types.ts': 'export interface Stack { name: string }\n',
      'rules/a.ts': "export { b } from './b.js';\nexport const a = 1;\n",
      'rules/b.ts': "export const b = async () => (await import('./a.js')).a;\n",
      'ops/run.ts': "import { CliError } from '../cli/io.js';\nexport const run = CliError;\n",
      'cli/io.ts': 'export class CliError extends Error {}\n',
      'cli/main.ts': "import { run } from '../ops/run.js';\nimport { now } from '../util/clock.js';\nexport const main = [run, now];\n",
      'extra/x.ts': "import { now } from '../util/clock.js';\nexport const x = now;\n",
      'index.ts': "export * from './rules/a.js';\n",
    });
    expect(checkLayers(readImports(dir)).map((v) => v.message)).toEqual([
      'extra/x.ts -> util/clock.ts: src/extra is in no layer; add it to LAYERS in test/helpers/layers.ts and to "Layers" in ARCHITECTURE.md',
      'ops/run.ts -> cli/io.ts: only src/cli/ may import src/cli/; move what both need below both',
      'util/clock.ts -> stack/types.ts: util (layer 0) imports stack (layer 1), which sits above it; move the shared part down',
      'import circle: rules/a.ts -> rules/b.ts -> rules/a.ts',
    ]);
  });

  it('passes a clean tree, where folders of one layer import each other without a circle', () => {
    const dir = tree({
      'util/clock.ts': 'export const now = 1;\n',
      'stack/types.ts': "import { now } from '../util/clock.js';\nexport const t = now;\n",
      'probes/http.ts': "import { t } from '../stack/types.js';\nexport const h = t;\n",
      'monitor/loop.ts': "import type { h } from '../probes/http.js';\nimport { a } from '../alerts/send.js';\nexport const l = a;\n",
      'alerts/send.ts': "import { t } from '../stack/types.js';\nexport const a = t;\n",
      'cli/main.ts': "import { l } from '../monitor/loop.js';\nexport const m = l;\n",
      'index.ts': "export * from './monitor/loop.js';\n",
    });
    expect(checkLayers(readImports(dir))).toEqual([]);
  });

  it('reports a longer circle as the path a reader follows', () => {
    const edges: Edge[] = [
      { from: 'init/a.ts', to: 'init/b.ts' },
      { from: 'init/b.ts', to: 'init/c.ts' },
      { from: 'init/c.ts', to: 'init/a.ts' },
    ];
    expect(checkLayers(edges).map((v) => v.message)).toEqual(['import circle: init/a.ts -> init/b.ts -> init/c.ts -> init/a.ts (3 files: init/a.ts, init/b.ts, init/c.ts)']);
  });
});
