import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

// The layer rule of src/ as data, and a checker over every import a file makes:
// static, `export … from`, dynamic `import('…')` and type-only alike (a circle
// through a type is still a circle to a reader). ARCHITECTURE.md states the same
// table in prose; the test reads only this one.

/** Bottom to top. A room may import its own layer or any layer below. */
export const LAYERS: readonly (readonly string[])[] = [
  ['util'],
  ['stack', 'probes', 'pm2', 'docker'],
  ['rules', 'monitor', 'metrics', 'alerts', 'init', 'export'],
  ['ops'],
  ['cli'],
];
/** src/index.ts, the package's public export: it may import the domain layers, and nothing imports it. */
const INDEX = 'index.ts';
const INDEX_LEVEL = 2;

/** An import of `to` by `from`, both relative to the src folder, with `/` separators. */
export interface Edge {
  readonly from: string;
  readonly to: string;
}

export interface Violation {
  readonly kind: 'upward' | 'cli' | 'room' | 'circle';
  /** `from -> to` for an edge; the sorted files of a circle, joined by ` `, for a circle. */
  readonly key: string;
  readonly message: string;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return /\.(ts|mts|cts)$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The file a relative specifier names, as tsc's NodeNext resolution finds it (`./x.js` -> x.ts). */
function resolveSpecifier(fromFile: string, spec: string): string | null {
  const base = resolve(dirname(fromFile), spec);
  const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), base.replace(/\.cjs$/, '.cts'), base, `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

/** Every import between files under `srcDir`; imports of packages and of files outside it are left out. */
export function readImports(srcDir: string): Edge[] {
  const root = resolve(srcDir);
  const edges: Edge[] = [];
  for (const file of tsFiles(root)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName: spec } of info.importedFiles) {
      if (!spec.startsWith('.')) continue;
      const target = resolveSpecifier(file, spec);
      if (target === null || relative(root, target).startsWith('..')) continue;
      edges.push({ from: relative(root, file).split(sep).join('/'), to: relative(root, target).split(sep).join('/') });
    }
  }
  return edges;
}

const roomOf = (file: string): string => (file.includes('/') ? (file.split('/')[0] as string) : file);
const levelOf = (room: string): number => (room === INDEX ? INDEX_LEVEL : LAYERS.findIndex((l) => l.includes(room)));

function edgeViolations(e: Edge): Violation[] {
  const out: Violation[] = [];
  const key = `${e.from} -> ${e.to}`;
  const [fromRoom, toRoom] = [roomOf(e.from), roomOf(e.to)];
  for (const room of [fromRoom, toRoom]) {
    if (levelOf(room) < 0) out.push({ kind: 'room', key, message: `${key}: src/${room} is in no layer; add it to LAYERS in test/helpers/layers.ts and to "Layers" in ARCHITECTURE.md` });
  }
  if (out.length > 0) return out;
  if (toRoom === 'cli' && fromRoom !== 'cli') {
    out.push({ kind: 'cli', key, message: `${key}: only src/cli/ may import src/cli/; move what both need below both` });
  } else if (toRoom === INDEX) {
    out.push({ kind: 'upward', key, message: `${key}: src/index.ts is the public export; import the module it re-exports instead` });
  } else if (levelOf(toRoom) > levelOf(fromRoom)) {
    out.push({ kind: 'upward', key, message: `${key}: ${fromRoom} (layer ${levelOf(fromRoom)}) imports ${toRoom} (layer ${levelOf(toRoom)}), which sits above it; move the shared part down` });
  }
  return out;
}

/** Tarjan's strongly connected components: every component of more than one file (or a self-import) is a circle. */
function circles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) {
      onStack.delete(w);
      scc.push(w);
    }
    if (scc.length > 1 || (next.get(v) ?? []).includes(v)) found.push(scc.sort());
  };
  for (const v of [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort()) if (!index.has(v)) visit(v);
  return found;
}

/** The shortest path from a file of the circle back to itself, inside the circle: what a reader follows. */
function cyclePath(scc: readonly string[], edges: readonly Edge[]): string[] {
  const inside = new Set(scc);
  const start = scc[0] as string;
  const prev = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i] as string;
    for (const e of edges) {
      if (e.from !== v || !inside.has(e.to)) continue;
      if (e.to === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(prev.get(path[0] as string) as string);
        return [...path, start];
      }
      if (!prev.has(e.to)) {
        prev.set(e.to, v);
        queue.push(e.to);
      }
    }
  }
  return [start, start];
}

/** Every break of the layer rule in these imports, circles last. */
export function checkLayers(edges: readonly Edge[]): Violation[] {
  const seen = new Set<string>();
  const out = edges.flatMap(edgeViolations).filter((v) => !seen.has(v.message) && seen.add(v.message));
  for (const scc of circles(edges)) {
    const members = scc.length > 2 ? ` (${scc.length} files: ${scc.join(', ')})` : '';
    out.push({ kind: 'circle', key: scc.join(' '), message: `import circle: ${cyclePath(scc, edges).join(' -> ')}${members}` });
  }
  return out;
}
