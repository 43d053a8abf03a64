import { dirname, isAbsolute, relative, sep } from 'node:path';
import type { App } from '../rules/types.js';
import { isSecretKey } from './secret-key.js';

// What the input's text says beyond its apps: the health URLs it polls, the
// folder it cd's into, the venv it activates, the secret keys it assigns.
// Only key names leave here; a value is never kept.

export interface TextHints {
  /** port -> the HTTP path the file itself requests on it (`curl -sf http://127.0.0.1:8002/health`). */
  readonly healthPaths: Readonly<Record<number, string>>;
  readonly root: string | null;
  /** The venv, relative to root when inside it. */
  readonly venv: string | null;
  /** Secret-looking keys assigned anywhere in the file (`export BOT_TOKEN=…`, `Environment=API_KEY=…`). */
  readonly secretKeys: readonly string[];
}

const HEALTH_URL = /\b(?:curl|wget|http)\b[^\n]*?https?:\/\/(?:127\.0\.0\.1|localhost|0\.0\.0\.0|\[::1\]|\$\{?\w+\}?)?:(\d{2,5})(\/[\w./-]*)/g;
const CD_ABS = /^\s*cd\s+["']?(\/[^\s"';&|]+)/m;
const ACTIVATE = /(?:^|[\s;&])(?:source|\.)\s+["']?([^\s"';&|]+?)\/bin\/activate\b/m;
// A whole-line assignment (`export KEY=v`, `KEY=v`, systemd `Environment=KEY=v`), not `KEY=v cmd`.
const ASSIGNED = /^\s*(?:export\s+|Environment=["']?)?([A-Za-z_][A-Za-z0-9_]*)=[^\s;]*["']?\s*$/gm;

function venvOf(text: string, apps: readonly App[], root: string | null, here: string | null): string | null {
  // The walk's own reading first (it resolved `$DIR/venv`), then the text's activate line.
  const walked = apps.map((a) => a.venvDir).find((v): v is string => v !== undefined && !/[`$]/.test(v));
  const activated = walked ?? ACTIVATE.exec(text)?.[1];
  const fromPath = apps.map((a) => a.interpreter ?? a.argv[0] ?? '').find((p) => /\/\.?venv[^/]*\/bin\//.test(p));
  const venv = activated ?? (fromPath ? fromPath.replace(/\/bin\/[^/]+$/, '') : undefined);
  if (venv === undefined) return null;
  const clean = venv.replace(/^\.\//, '');
  // Without a root the stack's folder is the script's: a venv inside it is written relative to it.
  const base = root ?? here;
  if (base !== null && isAbsolute(clean)) {
    const rel = relative(base, clean);
    return rel.startsWith('..') ? clean : rel;
  }
  return clean;
}

/** The deepest folder holding every one of these absolute folders. */
function commonDir(dirs: readonly string[]): string | null {
  if (dirs.length === 0) return null;
  let common = dirs[0] as string;
  for (const d of dirs.slice(1)) while (common !== dirname(common) && d !== common && !d.startsWith(common.endsWith(sep) ? common : common + sep)) common = dirname(common);
  return common;
}

export function textHints(text: string, apps: readonly App[], file?: string): TextHints {
  const healthPaths: Record<number, string> = {};
  for (const m of text.matchAll(HEALTH_URL)) {
    const port = Number(m[1]);
    if (m[2] && m[2] !== '/' && healthPaths[port] === undefined) healthPaths[port] = m[2];
  }
  // A folder still shell or a template placeholder is no root: the services say what to fill in instead.
  const cwds = apps.map((a) => a.cwd).filter((c): c is string => c !== null && isAbsolute(c) && !/[`$]|\{\{|(^|\/)%[a-zA-Z](\/|$)/.test(c));
  const root = CD_ABS.exec(text)?.[1] ?? commonDir(cwds);
  const secretKeys = [...new Set([...text.matchAll(ASSIGNED)].map((m) => m[1] ?? '').filter(isSecretKey))];
  return { healthPaths, root, venv: venvOf(text, apps, root, file !== undefined ? dirname(file) : null), secretKeys };
}
