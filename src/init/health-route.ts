import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRoutes, type FileReader, type Route } from './health-routes-text.js';

export type { FileReader } from './health-routes-text.js';

// Health from the code: the app module a uvicorn, gunicorn or Flask command
// names (`api_v2.app:app` -> <cwd>/api_v2/app.py or api_v2/app/__init__.py), and
// the health route declared in it or in the routers it includes. A TCP probe is
// the fallback only: a SIGSTOPped process still completes the TCP handshake.

/** The paths looked for, best first. A route whose last segment is one of these names counts too (`/api/v1/health`). */
export const HEALTH_PATHS = ['/health', '/healthz', '/api/health', '/ping', '/status'] as const;
const NAMES = ['health', 'healthz', 'ping', 'status'];

export interface HealthRoute {
  readonly path: string;
  /** The file the route is declared in, relative to the service's folder. */
  readonly file: string;
  readonly line: number;
}

export const diskReader: FileReader = {
  exists: (p) => existsSync(p),
  read: (p) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return null;
    }
  },
};

/** `pkg.mod` -> the file python imports for it under `cwd`: pkg/mod.py, else pkg/mod/__init__.py. */
export function moduleFile(module: string, cwd: string, fs: FileReader = diskReader): string | null {
  const rel = module.split('.').join('/');
  for (const cand of [`${rel}.py`, `${rel}/__init__.py`]) if (fs.exists(join(cwd, cand))) return cand;
  return null;
}

/** `api_v2.app:app`, `app:create_app()`, `wsgi` -> module and app variable (Flask/gunicorn default `application`/`app`). */
export function parseAppSpec(spec: string): { module: string; app: string | null } | null {
  const m = /^([A-Za-z_][\w.]*)(?::([A-Za-z_]\w*)(?:\(.*\))?)?$/.exec(spec.trim());
  if (!m) return null;
  return { module: m[1] ?? '', app: m[2] ?? null };
}

/** Rank of a path among the looked-for names: lower is better, null when it is no health route. */
function rank(path: string): number | null {
  const clean = path.replace(/\/+$/, '') || '/';
  const exact = (HEALTH_PATHS as readonly string[]).indexOf(clean);
  if (exact >= 0) return exact;
  if (/[{<]/.test(clean)) return null;
  const last = clean.split('/').pop() ?? '';
  const named = NAMES.indexOf(last);
  return named >= 0 ? 10 + named : null;
}

/** The best health route among routes: the looked-for order, then the first declared. */
export function bestRoute(routes: readonly Route[]): Route | null {
  let best: { r: Route; k: number } | null = null;
  for (const r of routes) {
    const k = rank(r.path);
    if (k !== null && (best === null || k < best.k)) best = { r, k };
  }
  return best?.r ?? null;
}

/**
 * The health route of the app `spec` names, run from `cwd`: routes declared on
 * the app and on routers it includes (same file, or a module it imports from
 * the same project), with every prefix applied. null when there is none to see.
 */
export function healthRouteFor(spec: string, cwd: string, fs: FileReader = diskReader): HealthRoute | null {
  const parsed = parseAppSpec(spec);
  if (!parsed) return null;
  const file = moduleFile(parsed.module, cwd, fs);
  if (file === null) return null;
  const routes = findRoutes(file, cwd, parsed.app, fs);
  const best = bestRoute(routes);
  return best ? { path: best.path, file: best.file, line: best.line } : null;
}

/** The app spec a command line names: uvicorn/gunicorn `mod:app`, or Flask's FLASK_APP / `--app`. */
export function appSpecOf(argv: readonly string[], env: Readonly<Record<string, string>>): string | null {
  const spec = argv.find((w) => /^[A-Za-z_][\w.]*:[A-Za-z_]\w*(\(.*\))?$/.test(w));
  if (spec) return spec;
  const i = argv.findIndex((w) => w === '--app' || w === '-A');
  if (i >= 0 && argv[i + 1]) return argv[i + 1] ?? null;
  const flaskApp = argv.find((w) => w.startsWith('--app='))?.slice(6) ?? env.FLASK_APP;
  if (flaskApp) return flaskApp.replace(/\.py$/, '').replace(/\//g, '.');
  // `flask run` with nothing set imports app.py or wsgi.py.
  if (argv.some((w) => /(^|\/)flask$/.test(w)) && argv.includes('run')) return 'app';
  // `fastapi run [path]`: the file given, else main.py (the CLI also tries app.py, api.py, app/main.py).
  const fa = argv.findIndex((w) => /(^|\/)fastapi$/.test(w));
  if (fa >= 0 && (argv[fa + 1] === 'run' || argv[fa + 1] === 'dev')) {
    const path = argv.slice(fa + 2).find((w) => /\.py$/.test(w));
    return path !== undefined ? path.replace(/\.py$/, '').replace(/^\.\//, '').replace(/\//g, '.') : 'main';
  }
  return null;
}
