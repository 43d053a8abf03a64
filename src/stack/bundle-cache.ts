import { existsSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { cacheKey, entryPath, recall, remember, sha256 } from './cache.js';

// The esbuild bundle of a .ts stack file, kept between calls (stack/cache.ts):
// bundling is ~100 ms of a `botstack status` that should take less than pm2's
// own `jlist`. An entry holds the bundle and every file esbuild read for it with
// its content hash; it is used only while each of those files still has those
// bytes and each package it imports is still where it was. The bundle is
// imported from the cache folder, so only bundles that cannot tell where they
// are qualify: no import.meta (import.meta.dirname as a stack's root, say), no
// dynamic import() or require() of a path, every package pinned to its file.

interface Entry {
  readonly inputs: readonly (readonly [string, string])[];
  readonly externals: readonly string[];
}

const keyOf = (abs: string, text: string) => cacheKey('bundle', abs, text);
const hashOf = (file: string): string | null => {
  try {
    return sha256(readFileSync(file));
  } catch {
    return null;
  }
};

/** The cached bundle's path for this stack file as it is now, or null. */
export function recallBundle(abs: string): string | null {
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch {
    return null;
  }
  const key = keyOf(abs, text);
  const raw = recall(`bundle-${key}.json`);
  const path = entryPath(`bundle-${key}.mjs`);
  if (!raw || !path || !existsSync(path)) return null;
  try {
    const entry = JSON.parse(raw) as Entry;
    if (!entry.inputs.every(([file, hash]) => hashOf(file) === hash)) return null;
    if (!entry.externals.every((file) => existsSync(file))) return null;
    return path;
  } catch {
    return null;
  }
}

/** What the resolver plugin saw: every package import, and whether each resolved to a file. */
export interface Externals {
  readonly files: string[];
  unresolved: boolean;
}

export function noteExternal(seen: Externals, path: string): void {
  if (isAbsolute(path)) seen.files.push(path);
  else if (!isBuiltin(path)) seen.unresolved = true;
}

/** A file written since shortly before the build may have changed under it: its hash might not be what was bundled. */
const SETTLED_MS = 2000;

/**
 * Stores a bundle; returns its path in the cache, or null when it may not be
 * cached (see above) or the cache is off or unwritable. `inputs` are esbuild's
 * metafile input paths, relative to `cwd`; `builtAt` is when the build began
 * (wall clock, as file mtimes are).
 */
export function rememberBundle(abs: string, code: string, inputs: readonly string[], seen: Externals, cwd: string, builtAt: number): string | null {
  if (seen.unresolved || /\bimport\.meta\b|\bimport\s*\(|\brequire\s*\(/.test(code)) return null;
  const files = inputs.map((f) => resolve(cwd, f));
  if (!files.includes(abs) || files.some((f) => (statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) > builtAt - SETTLED_MS)) return null;
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch {
    return null;
  }
  const hashed = files.map((f) => [f, hashOf(f)] as const);
  if (hashed.some(([, h]) => h === null)) return null;
  const key = keyOf(abs, text);
  const path = remember(`bundle-${key}.mjs`, code);
  if (!path) return null;
  // The entry last: an entry that exists names a bundle that exists.
  return remember(`bundle-${key}.json`, JSON.stringify({ inputs: hashed, externals: [...new Set(seen.files)] })) ? path : null;
}
