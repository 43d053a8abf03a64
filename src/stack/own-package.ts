import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';

// A stack file says `import { defineStack } from 'botstack'`. botstack is
// installed once (npm i -g), and a global package does not resolve from the
// user's folder, which usually has no node_modules at all. So the loaders map
// `botstack` and its exported subpaths to the package that is running: the
// very CLI, pm2 entry and schema that will read the stack, never a second copy.

export const isOwnSpecifier = (spec: string): boolean => spec === 'botstack' || spec.startsWith('botstack/');

type ExportTarget = string | { readonly types?: string; readonly default?: string; readonly import?: string; readonly require?: string };

/** The file `spec` (botstack or botstack/<sub>) means in the running package, or null when it exports no such subpath. */
export function ownPackageFile(spec: string): string | null {
  const root = packageRoot();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports?: Record<string, ExportTarget> };
  const sub = spec === 'botstack' ? '.' : `./${spec.slice('botstack/'.length)}`;
  const target = pkg.exports?.[sub];
  const file = typeof target === 'string' ? target : (target?.import ?? target?.default ?? target?.require);
  return file ? join(root, file) : null;
}

interface ModuleInternals {
  _resolveFilename(request: string, parent: unknown, ...rest: unknown[]): string;
}

/**
 * The same mapping for require() (pm2 loads its ecosystem file synchronously,
 * through tsx's CJS hook). Returns the remover. An unexported subpath falls
 * through to Node, whose error names it.
 */
export function hookOwnPackageForRequire(): () => void {
  const Module = createRequire(import.meta.url)('node:module') as ModuleInternals;
  const original = Module._resolveFilename;
  const hooked = function (this: unknown, request: string, parent: unknown, ...rest: unknown[]): string {
    const own = isOwnSpecifier(request) ? ownPackageFile(request) : null;
    return original.call(this, own ?? request, parent, ...rest);
  };
  Module._resolveFilename = hooked;
  return () => {
    if (Module._resolveFilename === hooked) Module._resolveFilename = original;
  };
}
