import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { App, Finding, RuleContext } from '../types.js';
import { codeFiles } from '../../util/code-files.js';

// A service that calls load_dotenv(<its folder>/.env, override=True) replaces
// what botstack passes it (<root>/.env, the environment) with whatever that file
// says: a rotated token in <root>/.env changes nothing, and the stack's env is
// silently ignored. check reads the service's own code for the call.

const SKIP = /^(venv|\.venv|env|\.env|site-packages|node_modules|\.git|__pycache__|tests?|\.tox|build|dist)$/;
const CALL = /load_dotenv\s*\(((?:[^()]|\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\))*)\)/g;
const MAX_FILES = 400;

export interface DotenvOverride {
  /** The .py file and line of the call, relative to the service folder. */
  readonly file: string;
  readonly line: number;
  /** The .env files under the service folder (not botstack's own) that call would read, that exist now. */
  readonly envFiles: readonly string[];
}

const pyFiles = (dir: string): string[] => codeFiles(dir, { want: (n) => n.endsWith('.py'), skip: SKIP, maxDepth: 3, max: MAX_FILES });

/** The folder a service's own code lives in: its script's or its app module's folder, under its cwd. */
export function serviceFolder(app: App, base: string): string {
  // A checkout is rarely where the server runs it (`cd /opt/app`): then the file's own folder is the project.
  const named = app.cwd !== null ? (isAbsolute(app.cwd) ? app.cwd : resolve(base, app.cwd)) : base;
  const cwd = existsSync(named) ? named : base;
  const script = app.argv.find((w) => /\.py$/.test(w));
  if (script) return dirname(isAbsolute(script) ? script : join(cwd, script));
  const spec = app.argv.find((w) => /^[A-Za-z_][\w.]*:[A-Za-z_]\w*/.test(w));
  const pkg = spec?.split(':')[0]?.split('.').slice(0, -1).join('/');
  return pkg ? join(cwd, pkg) : cwd;
}

/** Calls with override=True in the service's code, and the .env files they would read (find_dotenv walks up to the folder). */
export function dotenvOverrides(folder: string, rootEnv: string): DotenvOverride[] {
  const out: DotenvOverride[] = [];
  for (const file of pyFiles(folder)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (!text.includes('load_dotenv')) continue;
    for (const m of text.matchAll(CALL)) {
      if (!/\boverride\s*=\s*True\b/.test(m[1] ?? '')) continue;
      const candidates: string[] = [];
      for (let d = dirname(file); d.startsWith(folder); d = dirname(d)) {
        candidates.push(join(d, '.env'));
        if (d === folder) break;
      }
      const envFiles = candidates.filter((c) => c !== rootEnv && existsSync(c)).map((c) => relative(folder, c) || '.env');
      out.push({ file: relative(folder, file), line: text.slice(0, m.index ?? 0).split('\n').length, envFiles });
    }
  }
  return out;
}

export function serviceDotenvOverride(ctx: RuleContext, base: string, rootEnv: string): Finding[] {
  const seen = new Set<string>();
  return ctx.apps.flatMap((app) => {
    if (!app.isPython) return [];
    const folder = serviceFolder(app, base);
    if (seen.has(folder) || !existsSync(folder)) return [];
    seen.add(folder);
    return dotenvOverrides(folder, rootEnv).map((o) => {
      const where = relative(base, join(folder, o.file)) || o.file;
      const has = o.envFiles.length > 0;
      const message = has
        ? `${app.name}'s code loads ${o.envFiles.map((f) => relative(base, join(folder, f))).join(', ')} with override=True (${where} line ${o.line}): its values win over the secrets and env botstack passes, so a value changed in <root>/.env never reaches ${app.name}`
        : `${app.name}'s code calls load_dotenv(..., override=True) (${where} line ${o.line}): a .env created in its folder would win over the secrets and env botstack passes`;
      const fix = `move the values into <root>/.env (botstack passes them as the service's environment) and delete the service's own .env, or drop override=True so the environment wins (load_dotenv(..., override=False), the default)`;
      return { rule: 'service-dotenv-override', severity: ctx.profile === 'development' || !has ? 'info' : 'warning', file: ctx.file, line: app.line, service: app.name, message, fix };
    });
  });
}
