import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../util/package-root.js';

// A content-addressed cache of work the loader would otherwise redo on every
// CLI call (a .ts stack's esbuild bundle, zod's parse of the stack input, the
// whole-stack checks of a resolved stack): `botstack status` runs it each time,
// often in `watch -n1`. Every entry is keyed on the exact input of a pure step
// (a file's bytes, a JSON text) plus this build's stamp, so nothing needs
// invalidating: changed input, changed key. What is not pure (evaluating the
// stack module, which reads process.env; resolving it against env, cwd and the
// profile) is never cached. Entries are private (0700 folder, 0600 files): a
// stack input may hold values its author would not want shared.
//
// On by default when running from the built package; from sources (tsx,
// vitest) only when BOTSTACK_CACHE_DIR names a folder. BOTSTACK_CACHE_DIR=off
// turns it off.

const MAX_ENTRIES = 200;
// A function, not a constant: a stack file that imports botstack's index bundles
// this module, and a top-level expression would stay in its bundle.
const fromSources = () => import.meta.url.endsWith('.ts');

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const v = env.BOTSTACK_CACHE_DIR;
  if (v === 'off' || v === '0') return null;
  if (v) return v;
  if (fromSources()) return null;
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'botstack');
}

let stampMemo: string | undefined;

/** This build: the package version, the mtime of this module (a rebuild rewrites it), node's version. */
function stamp(): string {
  if (stampMemo !== undefined) return stampMemo;
  let version = '?';
  let built = 0;
  try {
    version = String((JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown }).version);
    built = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  } catch {
    // an unreadable package.json only means a coarser stamp
  }
  stampMemo = `${version}\0${built}\0${process.version}`;
  return stampMemo;
}

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** The cache key of one step's input: the step's name, this build, the input text. */
export const cacheKey = (step: string, ...parts: string[]): string => sha256([step, stamp(), ...parts].join('\0'));

/** A cached entry's path, whether or not it exists; null when the cache is off. */
export function entryPath(name: string): string | null {
  const dir = cacheDir();
  return dir ? join(dir, name) : null;
}

export function recall(name: string): string | null {
  const path = entryPath(name);
  if (!path) return null;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Writes an entry whole (temp file, then rename), or not at all: a cache that cannot be written is no cache. */
export function remember(name: string, text: string): string | null {
  const dir = cacheDir();
  if (!dir) return null;
  const path = join(dir, name);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, path);
    prune(dir);
    return path;
  } catch {
    rmSync(tmp, { force: true });
    return null;
  }
}

/** Keeps the folder bounded: past MAX_ENTRIES, the least recently written half goes. */
function prune(dir: string): void {
  const names = readdirSync(dir);
  if (names.length <= MAX_ENTRIES) return;
  const byAge = names.map((n) => ({ n, t: statSync(join(dir, n), { throwIfNoEntry: false })?.mtimeMs ?? 0 })).sort((a, b) => a.t - b.t);
  for (const { n } of byAge.slice(0, names.length - MAX_ENTRIES / 2)) rmSync(join(dir, n), { force: true });
}

/** JSON text of `v` when JSON keeps all of it (plain data only), else null: such values are not cached. */
export function faithfulJson(v: unknown): string | null {
  return plain(v) ? JSON.stringify(v) : null;
}

function plain(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (Array.isArray(v)) {
    // Not every(): it skips an array's holes, which JSON writes as null.
    for (let i = 0; i < v.length; i++) if (!(i in v) || !plain(v[i])) return false;
    return true;
  }
  if (typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.entries(v).every(([, x]) => x !== undefined && plain(x));
}
