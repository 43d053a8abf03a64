import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { problemsFromZod } from './problems.js';
import { resolveStack, type EnvLookup } from './resolve.js';
import { stackInputSchema, type Profile } from './schema.js';
import type { LoadResult, Problem } from './types.js';

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

function checkProfileEnv(env: EnvLookup, file: string): Problem[] {
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
 * every call. null when the folder is not writable or a package does not
 * resolve from it: tsx then does it.
 */
async function importBundled(abs: string): Promise<Record<string, unknown> | null> {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({ entryPoints: [abs], bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20', logLevel: 'silent', plugins: [packagesFromImporter] });
  const tmp = join(dirname(abs), `.${basename(abs)}.${process.pid}.${Date.now()}.botstack.mjs`);
  try {
    writeFileSync(tmp, out.outputFiles[0]?.text ?? '', { flag: 'wx', mode: 0o600 });
  } catch {
    return null;
  }
  try {
    return (await import(pathToFileURL(tmp).href)) as Record<string, unknown>;
  } catch (err) {
    // A package imported by a module the bundle inlined (say botstack's own source,
    // imported by absolute path) resolves from that module's folder, not this one.
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return null;
    throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Packages stay external, each pinned to the file Node would load for the
 * module that imports it (so botstack's own source, inlined by absolute path,
 * still gets botstack's zod: the very instance the CLI uses).
 */
const packagesFromImporter: import('esbuild').Plugin = {
  name: 'packages-from-importer',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'inner' || args.path.startsWith('node:')) return undefined;
      const r = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'inner' });
      return { path: r.errors.length === 0 && r.path ? r.path : args.path, external: true };
    });
  },
};

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

/** The profile pm2's own `--env <name>` flag asks for, read from the pm2 CLI's argv. */
export function profileFromArgv(argv: readonly string[]): Profile | undefined {
  const i = argv.indexOf('--env');
  const v = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--env='))?.slice(6);
  return v === 'development' || v === 'production' ? v : undefined;
}
