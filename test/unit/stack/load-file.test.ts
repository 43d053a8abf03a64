import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStack } from '../../../src/rules/stack-load.js';

// loadStack on real .ts files: bundled by esbuild beside the original, with tsx
// as the fallback. Neither path may leave a file behind.

const SRC = resolve(import.meta.dirname, '..', '..', '..', 'src', 'stack', 'index.ts');
const service = `{ name: 'a', kind: 'command', command: '/bin/sleep', args: ['100'] }`;

function write(name: string, text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'botstack-load-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return { dir, file };
}

describe('loadStack on .ts files', () => {
  it('loads a stack that imports botstack by absolute path, whose packages do not resolve from its folder', async () => {
    const { dir, file } = write('stack.config.mts', `import { defineStack } from ${JSON.stringify(SRC)};\nexport default defineStack({ name: 'x', root: '.', services: [${service}] });\n`);
    const r = await loadStack(file, { env: {} });
    expect(r.ok && r.stack.services.map((s) => s.name)).toEqual(['a', 'monitor']);
    expect(readdirSync(dir)).toEqual(['stack.config.mts']);
  });

  it('loads a stack with types and no imports', async () => {
    const { dir, file } = write('stack.config.ts', `const port: number = 9;\nexport default { name: 'y', root: '.', services: [{ ...${service}, port }] };\n`);
    const r = await loadStack(file, { env: {} });
    expect(r.ok && r.stack.services[0]?.port).toBe(9);
    expect(readdirSync(dir)).toEqual(['stack.config.ts']);
  });

  it('names the line of a syntax error and leaves nothing behind', async () => {
    const { dir, file } = write('stack.config.ts', `export default {\n  name: 'z',\n  services: [ { name: 'a' kind: 'node' } ]\n};\n`);
    const r = await loadStack(file, { env: {} });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems[0]?.message).toBe('cannot load: line 3:26: Expected "}" but found "kind"');
    expect(readdirSync(dir)).toEqual(['stack.config.ts']);
  });
});
