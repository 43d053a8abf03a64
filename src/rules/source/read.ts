import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { EnvLookup } from '../../stack/resolve.js';
import type { TextKind } from '../checks/secrets.js';
import { AppShapeError } from '../model/from-pm2.js';
import type { Profile } from '../types.js';
import { fileKind, type FileKind } from './kind.js';
import { parseJsonLike, parseYaml, requireConfig, UnreadableError } from './pm2-file.js';
import { pm2Apps } from './pm2-source.js';
import type { Source } from './types.js';

// Any input file -> the apps the rules read. What cannot be read comes back as
// messages saying why and where, for exit status 2. Each kind's reader (and
// zod, for botstack stacks) is imported only when a file of that kind comes in:
// one shell script must not pay for the stack loader.

export type { Source } from './types.js';

export type ReadResult = { readonly ok: true; readonly source: Source } | { readonly ok: false; readonly errors: readonly string[] };

const fail = (...errors: string[]): ReadResult => ({ ok: false, errors });
/** Procfile.dev, docker-compose.dev.yml, start-dev.sh, ecosystem.local.config.js: files for a laptop, read in the development profile. */
const DEV_NAME = /(^|[.\-_])(dev|development|local)([.\-_]|$)/i;
const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';

function pm2Source(text: string, config: unknown, profile: Profile, kind: FileKind, textKind: TextKind = 'code'): ReadResult {
  const { apps, notes } = pm2Apps(config, text, profile);
  return { ok: true, source: { format: 'pm2', text, profile, textKind, apps, notes, kind } };
}

/** A module that exports a botstack stack (`services`) is a stack; anything else is a pm2 ecosystem. */
function stackInput(mod: unknown): unknown {
  const m = mod as Record<string, unknown> | null;
  if (m === null || typeof m !== 'object') return undefined;
  const candidates = [m, m.default, m.stack, (m.default as Record<string, unknown> | undefined)?.default];
  return candidates.find((c) => c !== null && typeof c === 'object' && 'services' in (c as object));
}

async function stackSource(text: string, input: unknown, abs: string, env: EnvLookup, display: string): Promise<ReadResult> {
  const [{ parseStack }, { appsFromStack }, { appLines }] = await Promise.all([import('../../stack/load.js'), import('../model/from-stack.js'), import('../model/lines.js')]);
  const r = parseStack(input, abs, { env });
  if (!r.ok) return fail(...r.problems.map((p) => `${display}: ${p.path}${p.service ? ` (${p.service})` : ''}: ${p.message}${p.fix ? `\n  fix: ${p.fix}` : ''}`));
  const lines = appLines(text, r.stack.services.map((s) => ({ name: s.name })));
  return { ok: true, source: { format: 'botstack', text, profile: r.stack.profile, textKind: 'code', apps: appsFromStack(r.stack, lines), stack: r.stack, kind: 'stack' } };
}

async function moduleSource(text: string, abs: string, env: EnvLookup, profile: Profile, display: string, kind: FileKind): Promise<ReadResult> {
  let mod: unknown;
  try {
    if (kind === 'stack') {
      const { importFile } = await import('../../stack/load.js');
      mod = await importFile(abs);
    } else mod = requireConfig(abs);
  } catch (err) {
    const pm2 = kind === 'module' ? ' (pm2 would refuse it too: "File malformated")' : '';
    return fail(`${display}: cannot load: ${firstLine(err)}${pm2}`);
  }
  const input = stackInput(mod);
  if (input !== undefined) return stackSource(text, input, abs, env, display);
  if (kind === 'stack') return fail(`${display}: exports no stack (expected export default defineStack({ name, services: [...] }))`);
  return pm2Source(text, mod, profile, kind);
}

async function otherSource(kind: FileKind, text: string, abs: string, profile: Profile): Promise<ReadResult> {
  const { readPlace } = await import('./places.js');
  return { ok: true, source: { ...readPlace(kind, text, abs), profile } };
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
  const kind = fileKind(abs, text);
  const devFile = kind !== 'stack' && DEV_NAME.test(basename(abs));
  const profile: Profile = env.BOTSTACK_ENV === 'development' || devFile ? 'development' : 'production';
  const r = await readKind(kind, text, abs, env, profile, display);
  return r.ok && devFile ? { ok: true, source: { ...r.source, devFile } } : r;
}

async function readKind(kind: FileKind | null, text: string, abs: string, env: EnvLookup, profile: Profile, display: string): Promise<ReadResult> {
  try {
    if (kind === 'pm2-data') return pm2Source(text, parseJsonLike(text, abs), profile, kind);
    if (kind === 'pm2-yaml') return pm2Source(text, parseYaml(text), profile, kind, 'config');
    if (kind === 'module' || kind === 'stack') return await moduleSource(text, abs, env, profile, display, kind);
    if (kind !== null) return await otherSource(kind, text, abs, profile);
  } catch (err) {
    if (err instanceof UnreadableError || err instanceof AppShapeError) return fail(`${display}: ${err.message}`);
    throw err;
  }
  const ext = extname(abs);
  return fail(
    `${display}: cannot tell what kind of file this is from "${ext || 'no extension'}"; expected a botstack stack (.ts), a pm2 ecosystem (.config.js, .cjs, .mjs, .json, .yml), a shell script (.sh or a #! line), a systemd unit (.service), a crontab, a Procfile, a Dockerfile, a docker-compose.yml or a supervisord .conf`,
  );
}
