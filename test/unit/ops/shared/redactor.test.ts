import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { failureExcerpt, failureRedactor } from '../../../../src/ops/shared/excerpt.js';
import { redactorFor } from '../../../../src/ops/shared/redactor.js';
import { mustLoad } from '../../../helpers/stack.js';

// What the operator commands put their output through: the stack's .env and
// declared secrets, and an unreadable .env said once, not fatal.

const TOKEN = '7412345678:AAHk2xQ9vL_mZpR8tYw3NcD5fGjK1sE0uOb';
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function stackIn(dotenv: string | null) {
  const root = mkdtempSync(join(tmpdir(), 'botstack-redactor-'));
  dirs.push(root);
  if (dotenv !== null) writeFileSync(join(root, '.env'), dotenv);
  const stack = mustLoad({ name: 's', root, services: [{ name: 'bot', kind: 'command', command: '/bin/true', secrets: ['BOT_TOKEN', 'OTHER_TOKEN'] }] });
  return { root, stack };
}

describe("the operator commands' redactor", () => {
  it('redacts .env values and declared secrets from the environment', async () => {
    const { stack } = stackIn(`BOT_TOKEN=${TOKEN}\n`);
    const err: string[] = [];
    const r = await redactorFor(stack, { env: { OTHER_TOKEN: 'env-only-secret-value' }, stderr: { write: (t: string) => (err.push(t), true) } });
    expect(r(`a ${TOKEN.slice(0, 20)} b env-only-secret-value`)).toBe('a [redacted:BOT_TOKEN] b [redacted:OTHER_TOKEN]');
    expect(err).toEqual([]);
  });

  it('an unreadable .env: a warning, and the environment still redacted', async () => {
    const { stack, root } = stackIn(null);
    mkdirSync(join(root, '.env')); // a .env that cannot be read as a file
    const err: string[] = [];
    const r = await redactorFor(stack, { env: { OTHER_TOKEN: 'env-only-secret-value' }, stderr: { write: (t: string) => (err.push(t), true) } });
    expect(r('x env-only-secret-value')).toBe('x [redacted:OTHER_TOKEN]');
    expect(err.join('')).toMatch(/^warning: cannot read .*\/\.env \(EISDIR\): secrets kept only there are not redacted from this output\n$/);
  });

  it("a failed start's excerpt: the last lines of err and out, redacted", () => {
    const { stack } = stackIn(`BOT_TOKEN=${TOKEN}\n`);
    const bot = stack.services[0]!;
    mkdirSync(stack.logDir, { recursive: true });
    writeFileSync(bot.errFile, `Token used: ${TOKEN.slice(0, 20)}...\n`);
    writeFileSync(bot.outFile, `starting with ${TOKEN}\n`);
    expect(failureExcerpt(stack, bot, 5)).toEqual(['  bot.err | Token used: [redacted:BOT_TOKEN]...', '  bot.out | starting with [redacted:BOT_TOKEN]']);
    expect(failureRedactor(stack)(`reason: ${TOKEN}`)).toBe('reason: [redacted:BOT_TOKEN]');
  });
});
