import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../util/package-root.js';
import { noteExternal, recallBundle, rememberBundle, type Externals } from './bundle-cache.js';
import { checkProfileEnv, importCachedBundle, stackExport } from './load-light.js';
import { isOwnSpecifier, ownPackageFile } from './own-package.js';
import { problemsFromZod } from './problems.js';
import { resolveStack, type EnvLookup } from './resolve.js';
import { stackInputSchema, type Profile } from './schema.js';
import type { LoadResult } from './types.js';

export { profileFromArgv, stackExport } from './load-light.js';

export interface LoadOptions {
  readonly env?: EnvLookup;
  readonly profile?: Profile;
}

/**
 * parse -> resolve, without the whole-stack checks: `botstack check` reports
 * those as findings (dup-name, watch-on, ...) next to its other rules, while a
 * schema problem still means there is no stack to check.
 */
export function parseStack(input: unknown, file: string, opts: LoadOptions = {}): LoadResult {
  const env = opts.env ?? process.env;
  const envProblem = checkProfileEnv(env, file);
  const parsed = stackInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: [...envProblem, ...problemsFromZod(parsed.error, input, file)] };
  if (envProblem.length > 0) return { ok: false, problems: envProblem };
  return { ok: true, stack: resolveStack(parsed.data, { file, env, ...(opts.profile ? { profile: opts.profile } : {}) }) };
}

/** A stack file, parsed and resolved, without the whole-stack checks (see parseStack; `rules/stack-load.ts` adds them). */
export async function loadParsedStack(file: string, opts: LoadOptions = {}): Promise<LoadResult> {
  return loadWith(file, opts, parseStack);
}

/** Reads a stack file and hands its export to `build` (parse only, or parse and check). Never throws for a bad file. */
export async function loadWith(file: string, opts: LoadOptions, build: typeof parseStack): Promise<LoadResult> {
  const abs = resolve(file);
  if (!existsSync(abs)) {
    return { ok: false, problems: [{ file: abs, path: '(file)', message: `no stack file at ${abs}`, fix: 'pass --config <file>, or run from the folder holding ecosystem.config.ts' }] };
  }
  let mod: Record<string, unknown>;
  try {
    mod = await importFile(abs);
  } catch (err) {
    return { ok: false, problems: [{ file: abs, path: '(file)', message: `cannot load: ${firstLine(err)}`, fix: 'fix the syntax or import error above; `npx tsc --noEmit` shows type errors with lines' }] };
  }
  const input = stackExport(mod);
  if (input === undefined) {
    return { ok: false, problems: [{ file: abs, path: '(file)', message: 'exports no stack', fix: 'export default defineStack({ name, services: [...] })' }] };
  }
  return build(input, abs, opts);
}

export async function importFile(abs: string): Promise<Record<string, unknown>> {
  if (!/\.[cm]?ts$/.test(abs)) return (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  return (await importBundled(abs)) ?? (await importWithTsx(abs));
}

/**
 * A .ts stack file, bundled by esbuild into one module written beside it, so
 * its package imports resolve exactly as they would from the original. ~80 ms,
 * against ~200-300 ms for tsx's loader hooks; `botstack status` runs this on
 * every call. In a folder the user cannot write (a root-owned /opt/<project>),
 * the bundle goes to a private temp folder instead: every package it imports is
 * pinned by absolute path, so it loads the same from there. null when a package
 * does not resolve: tsx then does it, and names the package.
 */
async function importBundled(abs: string): Promise<Record<string, unknown> | null> {
  const cached = recallBundle(abs);
  if (cached) {
    const mod = await importCachedBundle(cached).catch(notFound);
    if (mod) return mod;
  }
  const esbuild = await import('esbuild');
  const seen: Externals = { files: [], unresolved: false };
  const builtAt = Date.now();
  const out = await esbuild.build({ entryPoints: [abs], bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20', logLevel: 'silent', metafile: true, plugins: [packagesFromImporter(seen)] });
  const code = out.outputFiles[0]?.text ?? '';
  // Kept for the next call when it can be (stack/bundle-cache.ts), and imported from there.
  const kept = rememberBundle(abs, code, Object.keys(out.metafile.inputs), seen, process.cwd(), builtAt);
  if (kept) return importCachedBundle(kept).catch(notFound);
  const written = writeBundle(abs, code);
  try {
    return (await import(pathToFileURL(written.file).href)) as Record<string, unknown>;
  } catch (err) {
    // A package imported by a module the bundle inlined (say botstack's own source,
    // imported by absolute path) resolves from that module's folder, not this one.
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return null;
    throw err;
  } finally {
    rmSync(written.remove, { force: true, recursive: true });
  }
}

function writeBundle(abs: string, text: string): { file: string; remove: string } {
  const beside = join(dirname(abs), `.${basename(abs)}.${process.pid}.${Date.now()}.botstack.mjs`);
  try {
    writeFileSync(beside, text, { flag: 'wx', mode: 0o600 });
    return { file: beside, remove: beside };
  } catch {
    const dir = mkdtempSync(join(tmpdir(), 'botstack-stack-'));
    writeFileSync(join(dir, 'stack.mjs'), text, { mode: 0o600 });
    return { file: join(dir, 'stack.mjs'), remove: dir };
  }
}

/**
 * Packages stay external, each pinned to the file Node would load for the
 * module that imports it (so botstack's own source, inlined by absolute path,
 * still gets botstack's zod: the very instance the CLI uses), and `botstack`
 * to the running package, which a global install cannot resolve from there.
 * botstack's own modules import packages for their bindings only, never for
 * side effects, so their imports are marked free of them: a stack file that
 * takes defineStack from botstack's index then does not load zod for schemas it
 * never uses.
 */
const packagesFromImporter = (seen: Externals): import('esbuild').Plugin => ({
  name: 'packages-from-importer',
  setup(build) {
    const own = `${packageRoot()}${sep}`;
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'inner' || args.path.startsWith('node:')) return undefined;
      // `botstack` itself is the running package, wherever the stack file is (own-package.ts).
      const mine = isOwnSpecifier(args.path) ? ownPackageFile(args.path) : null;
      if (mine) {
        noteExternal(seen, mine);
        return { path: mine, external: true };
      }
      const r = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'inner' });
      const path = r.errors.length === 0 && r.path ? r.path : args.path;
      noteExternal(seen, path);
      const ours = args.importer.startsWith(own) && !args.importer.slice(own.length).startsWith(`node_modules${sep}`);
      return { path, external: true, ...(ours ? { sideEffects: false } : {}) };
    });
  },
});

/** null for a package the bundle cannot find from where it is (tsx then loads the file); other errors stand. */
function notFound(err: unknown): null {
  if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return null;
  throw err;
}

async function importWithTsx(abs: string): Promise<Record<string, unknown>> {
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport(pathToFileURL(abs).href, import.meta.url)) as Record<string, unknown>;
}

function firstLine(err: unknown): string {
  // esbuild's message starts "Build failed with 1 error:"; the located error is in `errors`.
  const located = (err as { errors?: { text: string; location?: { line: number; column: number } | null }[] }).errors?.[0];
  if (located) return located.location ? `line ${located.location.line}:${located.location.column}: ${located.text}` : located.text;
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}
