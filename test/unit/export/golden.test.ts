import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportStack } from '../../../src/export/render.js';
import type { Target } from '../../../src/export/types.js';
import { load, REPO } from './stacks.js';

// Golden files: the whole output for our stack and the demo, both targets.
// A change to the export shows up as a diff here; after reviewing it, rewrite
// them with UPDATE_GOLDEN=1 npx vitest run test/unit/export/golden.test.ts.

const GOLDEN = join(REPO, 'test', 'fixtures', 'export');
// The demo's root is relative to its file, so the checkout's path is in its output.
const portable = (text: string): string => text.split(REPO).join('<repo>');

describe.each(['ours', 'demo'] as const)('%s stack', (which) => {
  it.each(['compose', 'k8s'] as const)('%s matches the golden files', async (target: Target) => {
    const stack = await load(which);
    // Ours has a requirements.txt (the user's project does); the demo runs on the standard library and has none.
    const r = exportStack(stack, target, { outDisplay: `deploy/${target}`, outDir: join(stack.root, 'deploy', target), requirements: which === 'ours', ...(target === 'k8s' ? { namespace: 'bots' } : {}) });
    const files = [...r.files, { path: 'summary.json', content: JSON.stringify({ warnings: r.warnings, next: r.next }, null, 2) + '\n' }];
    for (const f of files) {
      // The image is the same whichever engine runs it: one golden copy, both targets held to it.
      const path = f.path.startsWith('Dockerfile') ? join(GOLDEN, which, 'image', f.path) : join(GOLDEN, which, target, f.path);
      const content = portable(f.content);
      if (process.env.UPDATE_GOLDEN === '1') {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content);
      }
      expect(existsSync(path), `${path} is missing; run with UPDATE_GOLDEN=1`).toBe(true);
      expect(content, f.path).toBe(readFileSync(path, 'utf8'));
    }
  });
});
