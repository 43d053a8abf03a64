import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStack } from '../../../src/rules/stack-load.js';
import { packageRoot } from '../../../src/util/package-root.js';

// The real ecosystem.config.ts, through the same loader the CLI uses.

const FILE = join(packageRoot(), 'ecosystem.config.ts');

describe('ecosystem.config.ts', () => {
  it('declares the incident\'s four services plus the monitor, ordered by dependsOn', async () => {
    const r = await loadStack(FILE, { env: { BOTSTACK_ROOT: '/v3' } });
    if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
    const s = r.stack;
    expect(s.services.map((x) => [x.name, x.kind, x.port, x.dependsOn])).toEqual([
      ['mongod', 'mongod', 27017, []],
      ['api', 'uvicorn', 8002, ['mongod']],
      ['web', 'uvicorn', 8003, ['api']],
      ['bot', 'python', null, ['api']],
      ['monitor', 'monitor', null, []],
    ]);
    expect(s.services.find((x) => x.name === 'bot')?.secrets).toEqual(['TELEGRAM_BOT_TOKEN']);
    expect(s.services.find((x) => x.name === 'web')?.health).toMatchObject({ type: 'http', path: '/api/health' });
    expect(s.services.every((x) => !x.reload && !x.watch)).toBe(true);
  });

  it('turns --reload on for api and web in development only', async () => {
    const r = await loadStack(FILE, { env: { BOTSTACK_ROOT: '/v3', BOTSTACK_ENV: 'development' } });
    if (!r.ok) throw new Error('invalid');
    expect(r.stack.services.filter((x) => x.reload).map((x) => x.name)).toEqual(['api', 'web']);
  });

  it('says where it looked when the file is missing', async () => {
    const r = await loadStack('/nonexistent/ecosystem.config.ts');
    expect(r).toEqual({ ok: false, problems: [{ file: '/nonexistent/ecosystem.config.ts', path: '(file)', message: 'no stack file at /nonexistent/ecosystem.config.ts', fix: 'pass --config <file>, or run from the folder holding ecosystem.config.ts' }] });
  });
});
