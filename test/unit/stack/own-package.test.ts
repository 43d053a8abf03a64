import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStack } from '../../../src/rules/stack-load.js';
import { isOwnSpecifier, ownPackageFile } from '../../../src/stack/own-package.js';
import { packageRoot } from '../../../src/util/package-root.js';

// A stack file in a folder with no node_modules imports `botstack`: both
// loaders (the CLI's esbuild bundle, pm2's synchronous require) map it to the
// running package. Needs dist (npm ci / pretest builds it).

const STACK = `import { defineStack } from 'botstack';\nexport default defineStack({ name: 'x', root: '.', services: [{ name: 'a', kind: 'command', command: '/bin/sleep', args: ['100'] }] });\n`;

function folder(pkg?: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'botstack-own-'));
  writeFileSync(join(dir, 'ecosystem.config.ts'), STACK);
  if (pkg) writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  return dir;
}

describe('the bare import botstack', () => {
  it('maps botstack and its exported subpaths to the running package, and nothing else', () => {
    expect(ownPackageFile('botstack')).toBe(join(packageRoot(), 'dist/src/index.js'));
    expect(ownPackageFile('botstack/package.json')).toBe(join(packageRoot(), 'package.json'));
    expect(ownPackageFile('botstack/src/stack/schema.js')).toBeNull();
    expect(['botstack', 'botstack/x', 'botstacks', '@x/botstack'].map(isOwnSpecifier)).toEqual([true, true, false, false]);
  });

  it('loads through the CLI loader from a folder outside the package with no node_modules, leaving nothing behind', async () => {
    const dir = folder();
    const r = await loadStack(join(dir, 'ecosystem.config.ts'), { env: {} });
    if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
    expect(r.stack.services.map((s) => s.name)).toContain('a');
    expect(readdirSync(dir)).toEqual(['ecosystem.config.ts']);
  });

  for (const [label, pkg] of [['no package.json', undefined], ['"type": "module"', { type: 'module' }], ['"type": "commonjs"', { type: 'commonjs' }]] as const) {
    it(`loads through runtime/pm2-entry.cjs (pm2's synchronous path) with ${label}`, () => {
      const dir = folder(pkg);
      const entry = join(packageRoot(), 'runtime', 'pm2-entry.cjs');
      const code = `const e = require(${JSON.stringify(entry)}); process.stdout.write(JSON.stringify(e.appsFromFile(${JSON.stringify(join(dir, 'ecosystem.config.ts'))}).map((a) => a.name)))`;
      const out = execFileSync(process.execPath, ['-e', code], { cwd: dir, encoding: 'utf8', env: { ...process.env, BOTSTACK_ROOT: dir } });
      expect(JSON.parse(out)).toContain('a');
    });
  }
});
