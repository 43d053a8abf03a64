import { existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { readSource } from '../rules/source/read.js';
import type { EnvLookup } from '../stack/resolve.js';
import { codeFacts } from './code-facts.js';
import { textHints } from './hints.js';
import { buildPlan } from './plan.js';
import type { InitPlan, SourceApps } from './types.js';
import { writeUserEntry, type EntryWrite } from './pm2-entry.js';
import { renderStack } from './render.js';
import { packageRoot } from '../util/package-root.js';

// `botstack init --from <file>…`: read each input with check's readers, plan the
// services, render the stack, and write it (never over an existing file unless
// forced). Errors come back as data for the CLI to print with exit 2.

export interface InitOptions {
  readonly from: readonly string[];
  readonly out: string;
  readonly force: boolean;
  readonly cwd: string;
  readonly env: EnvLookup;
}

export type InitResult =
  | { readonly ok: true; readonly plan: InitPlan; readonly text: string; readonly out: string; readonly entry?: EntryWrite }
  | { readonly ok: false; readonly errors: readonly string[] };

const show = (cwd: string, abs: string): string => {
  const rel = relative(cwd, abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
};

function stackName(outAbs: string, root: string | null): string {
  const raw = basename(root ?? dirname(outAbs)).toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z]+/, '');
  return raw.slice(0, 40) || 'stack';
}

/** Reads the inputs and builds the stack text; writes nothing. */
export async function planInit(opts: InitOptions): Promise<InitResult> {
  if (opts.from.length === 0) return { ok: false, errors: ['init needs --from <file>: a start script, a pm2 ecosystem file, a systemd unit or a Procfile'] };
  const sources: SourceApps[] = [];
  const errors: string[] = [];
  for (const f of opts.from) {
    const abs = resolve(opts.cwd, f);
    const r = await readSource(abs, show(opts.cwd, abs), opts.env);
    if (!r.ok) errors.push(...r.errors);
    else if (r.source.format === 'botstack') errors.push(`${show(opts.cwd, abs)}: this is already a botstack stack; nothing to convert`);
    else {
      const apps = r.source.apps;
      // The services' own code beside the script: health routes and the env keys it reads.
      sources.push({ file: abs, apps, hints: textHints(r.source.text, apps, abs), facts: new Map(apps.map((a) => [a, codeFacts(a, abs)])) });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  if (sources.every((s) => s.apps.length === 0)) {
    return { ok: false, errors: [`${opts.from.join(', ')}: no service found (nothing started in the background, exec'd, daemonised or declared as an app); init has nothing to write`] };
  }
  const out = resolve(opts.cwd, opts.out);
  const built = buildPlan(sources, stackName(out, sources[0]?.hints.root ?? null));
  // The stack's own folder is '.', which keeps the file movable with the project.
  const plan = built.root !== null && resolve(built.root) === dirname(out) ? { ...built, root: null } : built;
  return { ok: true, plan, text: renderStack(plan, opts.from.map((f) => basename(f))), out };
}

/** planInit, then the file: refused when it exists and --force is not given. */
export async function runInit(opts: InitOptions): Promise<InitResult> {
  const r = await planInit(opts);
  if (!r.ok) return r;
  if (existsSync(r.out) && !opts.force) {
    return { ok: false, errors: [`${show(opts.cwd, r.out)} already exists; not overwriting it. Pass --out <other file>, or --force to replace it`] };
  }
  try {
    writeFileSync(r.out, r.text, { mode: 0o644 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? `no folder ${show(opts.cwd, dirname(r.out))}` : code === 'EACCES' ? 'permission denied' : (code ?? String(err));
    return { ok: false, errors: [`cannot write ${show(opts.cwd, r.out)}: ${why}; pass --out <file> in a folder you can write`] };
  }
  // pm2's own entry beside it, so that `pm2 start ecosystem.config.js` works in this folder too.
  return { ...r, entry: writeUserEntry(r.out, packageRoot()) };
}
