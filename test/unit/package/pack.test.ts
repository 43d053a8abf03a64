import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot, runtimePaths } from '../../../src/util/package-root.js';

// What `npm i -g botstack` installs is what `npm pack` puts in the tarball:
// exactly what runs (the compiled CLI, monitor and library with their types,
// the Python runtime, pm2's preload and entry), and none of the clone's
// development files. --ignore-scripts: prepare would rebuild dist under the
// tests that run from it; pretest has built it already.

interface Packed {
  readonly files: readonly { readonly path: string }[];
}

const root = packageRoot();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;

function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return (JSON.parse(out) as Packed[])[0]!.files.map((f) => f.path).sort();
}

describe('the published package', () => {
  const files = packedFiles();

  it('is publishable and runs on Node 20.19+', () => {
    expect(pkg.private).toBeUndefined();
    expect(pkg.engines).toEqual({ node: '>=20.19' });
    expect(pkg.bin).toEqual({ botstack: 'bin/botstack.js' });
  });

  it('ships the CLI, the monitor, the library with its types, and the runtime files pm2 runs', () => {
    for (const f of ['bin/botstack.js', 'dist/src/cli/bin.js', 'dist/src/monitor/main.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/ops/ecosystem/entry.js', 'runtime/pm2-entry.cjs', 'runtime/envexec.py', 'runtime/python/sitecustomize.py', 'runtime/pm2-reopen-logs.cjs', 'package.json', 'README.md']) {
      expect(files).toContain(f);
    }
  });

  it('ships nothing else: no tests, no TypeScript sources, no benchmarks, no source maps, no bytecode', () => {
    const top = [...new Set(files.map((f) => f.split('/')[0]))].sort();
    expect(top).toEqual(['README.md', 'bin', 'dist', 'package.json', 'runtime']);
    expect(files.filter((f) => f.startsWith('dist/') && !f.startsWith('dist/src/'))).toEqual([]);
    expect(files.filter((f) => /\.[cm]?ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => /(^|\/)(test|scripts|demo)\/|bench-|\.map$|__pycache__|\.pyc$/.test(f))).toEqual([]);
  });

  it('every runtime path the code names is in the tarball', () => {
    // package-root.ts's runtimePaths (a folder, runtime/python, by the file in it), relative to the package root.
    const named = Object.values(runtimePaths).map((f) => relative(root, f()));
    for (const f of [...named.map((x) => (x === 'runtime/python' ? 'runtime/python/sitecustomize.py' : x)), 'bin/botstack.js']) {
      expect(files).toContain(f);
      expect(existsSync(join(root, f))).toBe(true);
    }
  });

  it('needs no devDependency at run time: every package dist imports is a dependency', () => {
    const deps = Object.keys(pkg.dependencies as Record<string, string>);
    const imported = new Set<string>();
    for (const f of files.filter((x) => x.endsWith('.js') || x.endsWith('.cjs'))) {
      const text = readFileSync(join(root, f), 'utf8');
      for (const m of text.matchAll(/(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"]((?:@[a-z0-9-]+\/)?[a-z0-9][\w.-]*(?:\/[\w./-]*)?)['"]/g)) {
        const spec = m[1]!;
        if (spec.startsWith('node:')) continue;
        imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    }
    const builtins = new Set(['fs', 'net', 'path', 'os', 'child_process', 'module', 'url', 'util', 'http']);
    expect([...imported].filter((p) => !deps.includes(p) && !builtins.has(p) && p !== 'botstack').sort()).toEqual([]);
  });
});
