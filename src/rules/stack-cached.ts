import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { recallBundle } from '../stack/bundle-cache.js';
import { cacheDir, cacheKey, faithfulJson, recall, remember } from '../stack/cache.js';
import { checkProfileEnv, importCachedBundle, stackExport } from '../stack/load-light.js';
import type { LoadOptions } from '../stack/load.js';
import { resolveStack } from '../stack/resolve.js';
import type { ParsedStack } from '../stack/schema.js';
import type { LoadResult } from '../stack/types.js';

// loadStack (rules/stack-load.ts) for the CLI's every call, without loading
// esbuild, zod or the rules when nothing they would compute has changed. The
// stack module itself is always evaluated afresh (it reads process.env) and
// the result always resolved afresh (against env, cwd and the profile); what
// is cached are the three pure steps between (stack/cache.ts):
// - the .ts file's bundle, by the bytes of every file in it (bundle-cache.ts);
// - zod's parse of the stack input, by the input's JSON text;
// - "no whole-stack problem", by the resolved stack's JSON text.
// Anything else (a stack that does not load, has problems, or holds values
// JSON cannot carry) takes the full path, whose answer is the same as ever.

/** Loads and checks a stack file, exactly as loadStack does, reusing what earlier calls computed. */
export async function loadStackCached(file: string, opts: LoadOptions = {}): Promise<LoadResult> {
  const abs = resolve(file);
  const full = async () => (await import('./stack-load.js')).loadStack(abs, opts);
  if (cacheDir() === null || !existsSync(abs)) return full();
  const bundle = /\.[cm]?ts$/.test(abs) ? recallBundle(abs) : null;
  if (!bundle && /\.[cm]?ts$/.test(abs)) return full();
  let mod: Record<string, unknown>;
  try {
    mod = bundle ? await importCachedBundle(bundle) : ((await import(pathToFileURL(abs).href)) as Record<string, unknown>);
  } catch {
    return full(); // the full path reports the error, in its words
  }
  const input = stackExport(mod);
  if (input === undefined) return full();
  return (await fromKnownInput(input, abs, opts)) ?? checkAndRemember(input, abs, opts);
}

const parsedName = (json: string) => `parsed-${cacheKey('parse', json)}.json`;
const cleanName = (json: string) => `clean-${cacheKey('checks', json)}`;

/** The stack when zod's parse and the checks' verdict are both known for this input; else null. */
async function fromKnownInput(input: unknown, abs: string, opts: LoadOptions): Promise<LoadResult | null> {
  const json = faithfulJson(input);
  const parsed = json === null ? null : recall(parsedName(json));
  const env = opts.env ?? process.env;
  if (parsed === null || checkProfileEnv(env, abs).length > 0) return null;
  const stack = resolveStack(JSON.parse(parsed) as ParsedStack, { file: abs, env, ...(opts.profile ? { profile: opts.profile } : {}) });
  const resolved = faithfulJson(stack);
  return resolved !== null && recall(cleanName(resolved)) !== null ? { ok: true, stack } : null;
}

/** The full parse and checks on the module already evaluated, remembering what is pure and passed. */
async function checkAndRemember(input: unknown, abs: string, opts: LoadOptions): Promise<LoadResult> {
  const [{ fromInput }, { stackInputSchema }] = await Promise.all([import('./stack-load.js'), import('../stack/schema.js')]);
  const result = fromInput(input, abs, opts);
  if (!result.ok) return result;
  const json = faithfulJson(input);
  const parsed = stackInputSchema.safeParse(input);
  const data = parsed.success ? faithfulJson(parsed.data) : null;
  const resolved = faithfulJson(result.stack);
  if (json !== null && data !== null && resolved !== null) {
    remember(parsedName(json), data);
    remember(cleanName(resolved), '');
  }
  return result;
}
