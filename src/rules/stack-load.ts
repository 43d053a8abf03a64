import { loadWith, parseStack, type LoadOptions } from '../stack/load.js';
import type { LoadResult } from '../stack/types.js';
import { validateStack } from './stack-checks.js';

// The loader every command, the monitor and the pm2 entry use: the stack file
// parsed and resolved (src/stack), then the whole-stack checks, some of which
// are production rules that `check` also runs on pm2 files and scripts. It sits
// here, above both, so that src/stack never imports the rules.

/** parse -> resolve -> whole-stack checks. Returns the stack, or every problem found. */
export function fromInput(input: unknown, file: string, opts: LoadOptions = {}): LoadResult {
  const parsed = parseStack(input, file, opts);
  if (!parsed.ok) return parsed;
  const problems = validateStack(parsed.stack);
  return problems.length > 0 ? { ok: false, problems } : parsed;
}

/** Loads a stack file (.ts bundled by esbuild, or .js/.mjs/.cjs) and checks it. Never throws for a bad file. */
export async function loadStack(file: string, opts: LoadOptions = {}): Promise<LoadResult> {
  return loadWith(file, opts, fromInput);
}
