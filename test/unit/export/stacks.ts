import { resolve } from 'node:path';
import { loadStack } from '../../../src/rules/stack-load.js';
import type { Stack } from '../../../src/stack/types.js';

// The two stacks the export is pinned on: our own and the demo, with fixed
// BOTSTACK_* so every path is the same on every machine.

export const REPO = resolve(import.meta.dirname, '../../..');

export const FIXED_ENV = {
  BOTSTACK_ROOT: '/srv/telegram-bot',
  BOTSTACK_VENV: '/srv/telegram-bot/venv',
  BOTSTACK_LOG_DIR: '/srv/telegram-bot/logs',
} as const;

export const STACK_FILES = { ours: 'ecosystem.config.ts', demo: 'demo/stack.config.ts' } as const;

export async function load(which: keyof typeof STACK_FILES, env: Record<string, string> = {}): Promise<Stack> {
  // ecosystem.config.ts reads API_V2_URL from process.env itself, as a user's file would.
  const saved = process.env.API_V2_URL;
  delete process.env.API_V2_URL;
  const r = await loadStack(resolve(REPO, STACK_FILES[which]), { env: { ...FIXED_ENV, ...env } }).finally(() => {
    if (saved !== undefined) process.env.API_V2_URL = saved;
  });
  if (!r.ok) throw new Error(`${which} does not load: ${JSON.stringify(r.problems)}`);
  return r.stack;
}

/** A stack built from input, for one mapping at a time. */
export async function inline(input: unknown): Promise<Stack> {
  const { fromInput } = await import('../../../src/rules/stack-load.js');
  const r = fromInput(input, '/srv/x/stack.config.ts', { env: { ...FIXED_ENV } });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.stack;
}
