import { pathToFileURL } from 'node:url';
import type { EnvLookup } from './context.js';
import type { Profile } from './schema.js';
import type { Problem } from './types.js';

// The parts of loading a stack that need neither zod nor esbuild, for the
// cached path (rules/stack-cached.ts) that must not load either.

export function checkProfileEnv(env: EnvLookup, file: string): Problem[] {
  const v = env.BOTSTACK_ENV;
  if (v === undefined || v === '' || v === 'production' || v === 'development') return [];
  return [{ file, path: '(env).BOTSTACK_ENV', message: `BOTSTACK_ENV is "${v}"; expected "production" or "development"`, fix: 'unset BOTSTACK_ENV for production, or set it to development' }];
}

/** The stack input a module exports: `export default defineStack(...)` or `export const stack`. */
export function stackExport(mod: Record<string, unknown>): unknown {
  const d = mod.default as Record<string, unknown> | undefined;
  if (mod.stack !== undefined) return mod.stack;
  // A CJS module loaded through import() arrives as { default: module.exports }.
  if (d && typeof d === 'object' && 'stack' in d && !('services' in d)) return d.stack;
  return d;
}

let imports = 0;

/**
 * A cached bundle (stack/bundle-cache.ts), evaluated afresh on each load: a
 * new query makes it a new module to node, so a stack that reads process.env
 * reads it again, as it did from the temp file it replaces.
 */
export async function importCachedBundle(path: string): Promise<Record<string, unknown>> {
  return (await import(`${pathToFileURL(path).href}?load=${process.pid}-${++imports}`)) as Record<string, unknown>;
}

/** The profile pm2's own `--env <name>` flag asks for, read from the pm2 CLI's argv. */
export function profileFromArgv(argv: readonly string[]): Profile | undefined {
  const i = argv.indexOf('--env');
  const v = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--env='))?.slice(6);
  return v === 'development' || v === 'production' ? v : undefined;
}
