import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { serviceFolder } from '../rules/checks/dotenv-override.js';
import { describeCommand, optionValue } from '../rules/model/command.js';
import type { App } from '../rules/types.js';
import { appSpecOf, healthRouteFor, moduleFile, type HealthRoute } from './health-route.js';
import { codeFiles } from '../util/code-files.js';

// What init learns from a service's own code, next to the start script: the
// health route its web app declares, and the environment keys it reads (so a
// secret is kept only where a service reads it). This is init's I/O; plan.ts
// takes the result as data.

export interface CodeFacts {
  /** The health route and where it is declared (relative to the project folder). */
  readonly route: (HealthRoute & { readonly shown: string }) | null;
  /** The app module init read for routes, when it found one and no route in it. */
  readonly looked: string | null;
  /** Keys the service's code reads from its environment; null when its code is not here. */
  readonly reads: ReadonlySet<string> | null;
}

const WEB = /^(uvicorn|gunicorn|hypercorn|flask|fastapi|daphne|granian|waitress-serve)$/;
const SKIP = /^(venv|\.venv|env|site-packages|node_modules|\.git|__pycache__|tests?|dist|build)$/;
// os.getenv("X"), os.environ["X"], os.environ.get("X"), getenv('X'), environ.get, decouple's config("X"), env("X"), env.str("X"), process.env.X / ["X"]
const READS = [
  /\b(?:getenv|environ\.get|environ\.setdefault|config|env(?:\.\w+)?)\(\s*['"]([A-Z][A-Z0-9_]*)['"]/g,
  /\benviron\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]/g,
  /\bprocess\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])/g,
];
/** pydantic BaseSettings fields: `bot_token: str` inside `class X(BaseSettings)` reads BOT_TOKEN (case-insensitive by default). */
const SETTINGS_CLASS = /^class\s+\w+\(\s*(?:pydantic_settings\.)?BaseSettings\s*\)\s*:\s*\n((?:[ \t]+.*\n|\s*\n)*)/gm;

const sourceFiles = (dir: string): string[] => codeFiles(dir, { want: (n) => /\.(py|js|mjs|cjs|ts)$/.test(n), skip: SKIP, maxDepth: 3, max: 400 });

/** Every environment key a body of code reads. */
export function envReads(text: string): Set<string> {
  const keys = new Set<string>();
  for (const re of READS) for (const m of text.matchAll(re)) keys.add(m[1] ?? m[2] ?? '');
  for (const m of text.matchAll(SETTINGS_CLASS)) {
    const prefix = /env_prefix\s*=\s*['"](\w*)['"]/.exec(m[1] ?? '')?.[1] ?? '';
    for (const f of (m[1] ?? '').matchAll(/^[ \t]+([a-z_][a-z0-9_]*)\s*:/gm)) if (f[1] !== 'model_config') keys.add(`${prefix}${f[1]}`.toUpperCase());
  }
  keys.delete('');
  return keys;
}

function readsIn(folder: string): Set<string> | null {
  if (!existsSync(folder)) return null;
  const files = sourceFiles(folder);
  if (files.length === 0) return null;
  const keys = new Set<string>();
  for (const f of files) {
    try {
      for (const k of envReads(readFileSync(f, 'utf8'))) keys.add(k);
    } catch {
      /* unreadable: skipped */
    }
  }
  return keys;
}

/** The facts for one app found in `scriptFile`; its folder is its cwd when that exists here, else the script's. */
export function codeFacts(app: App, scriptFile: string): CodeFacts {
  const here = dirname(scriptFile);
  // `cd backend && uvicorn …` (relative), an absolute folder that exists here, else the script's own folder.
  const cwd = app.cwd === null || /[`$]/.test(app.cwd) ? here : isAbsolute(app.cwd) ? (existsSync(app.cwd) ? app.cwd : here) : resolve(here, app.cwd);
  // uvicorn --app-dir adds a folder to sys.path: the module is looked up there.
  const appDir = optionValue(app.argv, ['--app-dir']);
  const base = appDir !== null && appDir !== undefined ? resolve(cwd, appDir) : cwd;
  const reads = app.isPython || /\.(js|mjs|cjs|ts)$/.test(app.argv.find((w) => /\.\w+$/.test(w)) ?? '') ? readsIn(serviceFolder(app, base)) : null;
  const program = describeCommand(app.argv).program;
  const spec = WEB.test(program) ? appSpecOf(app.argv, app.env) : null;
  if (spec === null) return { route: null, looked: null, reads };
  const route = healthRouteFor(spec, base);
  const shownOf = (f: string): string => relative(dirname(scriptFile), join(base, f)) || f;
  const mod = moduleFile(spec.split(':')[0] ?? spec, base);
  return { route: route ? { ...route, shown: shownOf(route.file) } : null, looked: route === null && mod !== null ? shownOf(mod) : null, reads };
}
