import { dirname, join, normalize } from 'node:path';

// The routes a FastAPI/Starlette or Flask app declares, read from its source
// text the way the framework would register them: decorators and add_api_route
// / add_url_rule on the app, routers (APIRouter(prefix=…), Blueprint(url_prefix=…))
// included with include_router / register_blueprint (their prefix added), and
// routers imported from other modules of the same project. Plain text reading,
// no Python: what a regex cannot see (routes built in loops, mounted sub-apps)
// is left out, and init then falls back to TCP and says so.

/** The file system as the route reader sees it (tests pass a tree in memory). */
export interface FileReader {
  exists(path: string): boolean;
  read(path: string): string | null;
}

export interface Route {
  readonly path: string;
  readonly file: string;
  readonly line: number;
}

interface Parsed {
  readonly file: string;
  readonly text: string;
  /** Router variables and their own prefix. */
  readonly routers: ReadonlyMap<string, string>;
  readonly apps: ReadonlySet<string>;
  /** Local name -> [module as written (dots kept), attribute or null for a module import]. */
  readonly imports: ReadonlyMap<string, readonly [string, string | null]>;
  /** `app = create_app()`: variable -> the factory it calls. */
  readonly factories: ReadonlyMap<string, string>;
}

const STR = String.raw`(?:[rbuf]?)(?<q>['"])((?:(?!\k<q>).)*)\k<q>`;
const APP_CTOR = /^[ \t]*(\w+)\s*(?::[^=\n]+)?=\s*(?:fastapi\.|flask\.)?(FastAPI|Flask|Quart|Starlette|APIFlask|Sanic)\s*\(/gm;
const ROUTER_CTOR = /^[ \t]*(\w+)\s*(?::[^=\n]+)?=\s*(?:fastapi\.|flask\.)?(APIRouter|Blueprint)\s*\(([^)]*)\)/gm;
const DECORATOR = new RegExp(String.raw`^[ \t]*@(\w+)\.(get|head|api_route|route)\(\s*(?:path\s*=\s*|rule\s*=\s*)?${STR}([^)]*)\)`, 'gm');
const ADD_ROUTE = new RegExp(String.raw`^[ \t]*(\w+)\.(add_api_route|add_url_rule)\(\s*(?:path\s*=\s*|rule\s*=\s*)?${STR}([^)]*)\)`, 'gm');
const INCLUDE = /^[ \t]*(\w+)\.(include_router|register_blueprint)\(\s*([\w.]+)\s*(?:,([^)]*))?\)/gm;

const lineAt = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;
const kwarg = (args: string, name: string): string | null => new RegExp(String.raw`\b${name}\s*=\s*${STR}`).exec(args)?.[2] ?? null;
/** A route that answers GET: FastAPI's get/head, and route/api_route whose methods= (if any) include GET. */
const answersGet = (how: string, rest: string): boolean => how === 'get' || how === 'head' || !/\bmethods\s*=/.test(rest) || /['"]GET['"]/i.test(rest);
const join2 = (a: string, b: string): string => `${a.replace(/\/+$/, '')}${b === '' ? '' : b.startsWith('/') ? b : `/${b}`}` || '/';

function parseImports(text: string): Map<string, [string, string | null]> {
  const out = new Map<string, [string, string | null]>();
  // `from x import (\n a,\n b as c,\n)` on one line, so one pattern reads both forms.
  const flat = text.replace(/^(from\s+\S+\s+import\s*)\(([^)]*)\)/gm, (_m, head: string, body: string) => head + body.replace(/#[^\n]*/g, '').replace(/\s*\n\s*/g, ' '));
  for (const m of flat.matchAll(/^from\s+(\.*[\w.]*)\s+import\s+([^\n#]+)/gm)) {
    for (const part of (m[2] ?? '').split(',')) {
      const [name, alias] = part.trim().split(/\s+as\s+/);
      if (name && /^\w+$/.test(name.trim())) out.set((alias ?? name).trim(), [m[1] ?? '', name.trim()]);
    }
  }
  for (const m of text.matchAll(/^import\s+([\w.]+)(?:\s+as\s+(\w+))?/gm)) out.set(m[2] ?? (m[1] ?? '').split('.')[0] ?? '', [m[1] ?? '', null]);
  return out;
}

function factories(text: string): Map<string, string> {
  return new Map([...text.matchAll(/^(\w+)\s*=\s*([\w.]+)\s*\(/gm)].filter((m) => !/^(FastAPI|Flask|Quart|Starlette|APIFlask|Sanic|APIRouter|Blueprint)$/.test((m[2] ?? '').split('.').pop() ?? '')).map((m) => [m[1] ?? '', m[2] ?? '']));
}

function parse(file: string, text: string): Parsed {
  const routers = new Map<string, string>();
  for (const m of text.matchAll(ROUTER_CTOR)) routers.set(m[1] ?? '', kwarg(m[3] ?? '', m[2] === 'Blueprint' ? 'url_prefix' : 'prefix') ?? '');
  const apps = new Set([...text.matchAll(APP_CTOR)].map((m) => m[1] ?? ''));
  return { file, text, routers, apps, imports: parseImports(text.replace(/\\\n/g, ' ')), factories: factories(text) };
}

/** A python module path, absolute (from the service folder) or relative (dots, from `file`'s package). */
function resolveModule(mod: string, from: string, cwd: string, fs: FileReader): string | null {
  const dots = /^\.*/.exec(mod)?.[0].length ?? 0;
  const rest = mod.slice(dots).split('.').filter(Boolean).join('/');
  let base = dots > 0 ? dirname(from) : '';
  for (let i = 1; i < dots; i++) base = dirname(base);
  const rel = normalize(join(base, rest)).replace(/^\.\/?/, '');
  for (const cand of [`${rel}.py`, join(rel, '__init__.py')]) if (fs.exists(join(cwd, cand))) return cand;
  return null;
}

interface Walk {
  readonly cwd: string;
  readonly fs: FileReader;
  readonly cache: Map<string, Parsed | null>;
  readonly seen: Set<string>;
}

function load(w: Walk, file: string): Parsed | null {
  if (!w.cache.has(file)) {
    const text = w.fs.read(join(w.cwd, file));
    w.cache.set(file, text === null ? null : parse(file, text));
  }
  return w.cache.get(file) ?? null;
}

/** Where a name used in include_router(...) lives: [file, variable]. */
function locate(w: Walk, p: Parsed, expr: string): [Parsed, string] | null {
  const parts = expr.split('.');
  const head = parts[0] ?? '';
  if (parts.length === 1 && p.routers.has(head)) return [p, head];
  const imp = p.imports.get(head);
  if (!imp) return null;
  const [mod, attr] = imp;
  if (attr === null) {
    // `import app.routers.health as h` then h.router; or `import routers` then routers.health.router
    const target = resolveModule([mod, ...parts.slice(1, -1)].join('.'), p.file, w.cwd, w.fs);
    const other = target ? load(w, target) : null;
    return other ? [other, parts[parts.length - 1] ?? 'router'] : null;
  }
  // `from .routers import health` then health.router: the name is a submodule.
  const sub = resolveModule(`${mod}${mod.endsWith('.') || mod === '' ? '' : '.'}${attr}`, p.file, w.cwd, w.fs);
  if (sub && parts.length > 1) {
    const other = load(w, sub);
    return other ? [other, parts[1] ?? 'router'] : null;
  }
  const target = resolveModule(mod, p.file, w.cwd, w.fs);
  const other = target ? load(w, target) : null;
  return other ? [other, attr] : null;
}

/** Routes on `owner` (an app or a router variable) in `p`, each under `prefix`. */
function routesOn(w: Walk, p: Parsed, owner: string, prefix: string, depth: number): Route[] {
  const key = `${p.file}#${owner}`;
  if (depth > 4 || w.seen.has(key)) return [];
  w.seen.add(key);
  const own = join2(prefix, p.routers.get(owner) ?? '');
  const out: Route[] = [];
  for (const re of [DECORATOR, ADD_ROUTE]) {
    for (const m of p.text.matchAll(re)) {
      if (m[1] !== owner || !answersGet(m[2] ?? '', m[5] ?? '')) continue;
      out.push({ path: join2(own, m[4] ?? ''), file: p.file, line: lineAt(p.text, m.index ?? 0) });
    }
  }
  for (const m of p.text.matchAll(INCLUDE)) {
    if (m[1] !== owner) continue;
    const at = locate(w, p, m[3] ?? '');
    const extra = kwarg(m[4] ?? '', m[2] === 'register_blueprint' ? 'url_prefix' : 'prefix') ?? '';
    if (at) out.push(...routesOn(w, at[0], at[1], join2(own, extra), depth + 1));
  }
  w.seen.delete(key);
  return out;
}

/** Every GET route the app in `file` (variable `app`, or any app it constructs) serves. */
export function findRoutes(file: string, cwd: string, app: string | null, fs: FileReader): Route[] {
  const w: Walk = { cwd, fs, cache: new Map(), seen: new Set() };
  const p = load(w, file);
  if (!p) return [];
  const owners = new Set([...p.apps, ...(app !== null && !p.routers.has(app) ? [app] : [])]);
  const out = [...owners].flatMap((o) => routesOn(w, p, o, '', 0));
  // `app = create_app()` with the factory imported from another module, or `from .main import app`:
  // the routes are declared where the app is built.
  const factory = app !== null && !p.apps.has(app) ? (p.factories.get(app) ?? (p.imports.has(app) ? app : null)) : null;
  const at = factory !== null ? locate(w, p, factory) : null;
  if (at && at[0] !== p) for (const a of at[0].apps) out.push(...routesOn(w, at[0], a, '', 0));
  return out;
}
