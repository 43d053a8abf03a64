import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { importFile, parseStack, stackExport } from '../../stack/load.js';
import type { EnvLookup } from '../../stack/resolve.js';
import type { Stack } from '../../stack/types.js';
import { appLines } from '../model/lines.js';
import { AppShapeError, appFromPm2 } from '../model/from-pm2.js';
import { appsFromShell } from '../model/from-shell.js';
import { appsFromStack } from '../model/from-stack.js';
import type { TextKind } from '../checks/secrets.js';
import type { App, Profile, SourceFormat } from '../types.js';
import { appsOf, moduleApps, parseJson, parseYaml, UnreadableError } from './pm2-file.js';

// Any of the three inputs -> the apps the rules read. What cannot be read comes
// back as messages saying why and where, for exit status 2.

export interface Source {
  readonly format: SourceFormat;
  readonly text: string;
  readonly apps: readonly App[];
  readonly profile: Profile;
  /** Whether unquoted `KEY=value` is a literal here (shell, YAML) or an expression (JS, TS, JSON). */
  readonly textKind: TextKind;
  /** Set for a botstack stack, for the whole-stack checks. */
  readonly stack?: Stack;
}

export type ReadResult = { readonly ok: true; readonly source: Source } | { readonly ok: false; readonly errors: readonly string[] };

const SHELL_SHEBANG = /^#!.*\b(ba|da|z|k)?sh\b/;
const fail = (...errors: string[]): ReadResult => ({ ok: false, errors });

function pm2Source(text: string, raw: unknown, profile: Profile, textKind: TextKind = 'code'): ReadResult {
  const list = appsOf(raw);
  const named = list.map((a) => {
    const o = (a ?? {}) as { name?: unknown; script?: unknown };
    return { name: typeof o.name === 'string' ? o.name : '', ...(typeof o.script === 'string' ? { script: o.script } : {}) };
  });
  const lines = appLines(text, named);
  return { ok: true, source: { format: 'pm2', text, profile, textKind, apps: list.map((a, i) => appFromPm2(a, i, lines[i] ?? null)) } };
}

function stackSource(text: string, input: unknown, abs: string, env: EnvLookup, display: string): ReadResult {
  const r = parseStack(input, abs, { env });
  if (!r.ok) return fail(...r.problems.map((p) => `${display}: ${p.path}${p.service ? ` (${p.service})` : ''}: ${p.message}${p.fix ? `\n  fix: ${p.fix}` : ''}`));
  const lines = appLines(text, r.stack.services.map((s) => ({ name: s.name })));
  return { ok: true, source: { format: 'botstack', text, profile: r.stack.profile, textKind: 'code', apps: appsFromStack(r.stack, lines), stack: r.stack } };
}

async function moduleSource(text: string, abs: string, env: EnvLookup, profile: Profile, display: string): Promise<ReadResult> {
  let mod: Record<string, unknown>;
  try {
    mod = await importFile(abs);
  } catch (err) {
    return fail(`${display}: cannot load: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
  }
  const exported = stackExport(mod);
  // A .ts stack compiled as CommonJS arrives as { default: { default: stack } }.
  const nested = (exported as { default?: unknown } | undefined)?.default;
  const input = nested !== null && typeof nested === 'object' && 'services' in nested ? nested : exported;
  if (input !== null && typeof input === 'object' && 'services' in input) return stackSource(text, input, abs, env, display);
  if (/\.[cm]?ts$/.test(abs)) return fail(`${display}: exports no stack (expected export default defineStack({ name, services: [...] }))`);
  return pm2Source(text, moduleApps(mod), profile);
}

/** Reads one file of any supported kind. Never throws. */
export async function readSource(abs: string, display: string, env: EnvLookup): Promise<ReadResult> {
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail(`${display}: cannot read: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : String(err)}`);
  }
  const profile: Profile = env.BOTSTACK_ENV === 'development' ? 'development' : 'production';
  const ext = extname(abs).toLowerCase();
  try {
    if (ext === '.sh' || ext === '.bash' || SHELL_SHEBANG.test(text)) return { ok: true, source: { format: 'shell', text, profile, textKind: 'config', apps: appsFromShell(text) } };
    if (ext === '.json') return pm2Source(text, parseJson(text), profile);
    if (ext === '.yml' || ext === '.yaml') return pm2Source(text, parseYaml(text), profile, 'config');
    if (/^\.[cm]?[jt]s$/.test(ext)) return await moduleSource(text, abs, env, profile, display);
  } catch (err) {
    if (err instanceof UnreadableError || err instanceof AppShapeError) return fail(`${display}: ${err.message}`);
    throw err;
  }
  return fail(`${display}: cannot tell what kind of file this is from "${ext || 'no extension'}"; expected a botstack stack (.ts), a pm2 ecosystem (.js, .cjs, .json, .yml) or a shell script (.sh or a #! line)`);
}
