import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../cli/ops-cli.js';
import { FIXED_ENV, REPO } from './stacks.js';

// Secrets by name only. The value is in the environment and in <root>/.env
// when export runs; it must reach no file, no stdout, no stderr.

const MARKER = 'marker-7f3c91-not-a-real-token';

describe('export never writes a secret value', () => {
  it.each(['compose', 'k8s'] as const)('%s: the token is named, its value is nowhere', async (target) => {
    const root = mkdtempSync(join(tmpdir(), 'botstack-export-secret-'));
    writeFileSync(join(root, '.env'), `TELEGRAM_BOT_TOKEN=${MARKER}\n`);
    const out = join(root, 'out');
    const env = { ...FIXED_ENV, BOTSTACK_ROOT: root, BOTSTACK_VENV: join(root, 'venv'), BOTSTACK_LOG_DIR: join(root, 'logs'), TELEGRAM_BOT_TOKEN: MARKER };
    const saved = process.env.TELEGRAM_BOT_TOKEN;
    process.env.TELEGRAM_BOT_TOKEN = MARKER; // also where a careless loader would look
    try {
      for (const argv of [['--out', out], ['--out', '-'], ['--out', join(root, 'j'), '--json']]) {
        const r = await run(['export', target, '--config', join(REPO, 'ecosystem.config.ts'), ...argv], { env, cwd: root });
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout + r.stderr).not.toContain(MARKER);
        if (argv[1] === '-') expect(r.stdout).toContain(target === 'compose' ? 'TELEGRAM_BOT_TOKEN' : 'secretKeyRef');
      }
      // Every file, the monitor's folder (its stack.json, its bundled code) too.
      const written = (readdirSync(out, { recursive: true }) as string[]).filter((f) => statSync(join(out, f)).isFile()).map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
      expect(written).toContain('TELEGRAM_BOT_TOKEN');
      expect(written).not.toContain(MARKER);
    } finally {
      if (saved === undefined) delete process.env.TELEGRAM_BOT_TOKEN;
      else process.env.TELEGRAM_BOT_TOKEN = saved;
    }
  });
});
