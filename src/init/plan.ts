import { basename, dirname, isAbsolute, relative } from 'node:path';
import { optionValue } from '../rules/model/command.js';
import { exclusive, type App } from '../rules/types.js';
import { kindOf, withoutDevFlags } from './kind.js';
import { isSecretKey } from './secret-key.js';
import type { InitPlan, PlannedKind, PlannedService, SourceApps } from './types.js';
import { isUnresolved, resolvePaths } from './unresolved.js';

// What `botstack init --from` will write, as data: one planned service per app
// the readers found, in start order. Pure, so every decision here is unit-tested
// without a file system. Secret values never enter the plan: only key names.

/** Environment a supervisor sets that must not be copied into a stack. */
const DROPPED_ENV = /^(PYTHONUNBUFFERED|VIRTUAL_ENV|PATH|NODE_ENV|PYTHONPATH)$/;
const GENERIC = /^(main|app|run|index|server|start|bot|__main__|manage|wsgi|asgi)$/;
const LOOPBACK = /^(127\.0\.0\.1|localhost|::1)$/;

/** A value that is a secret whatever its key: a URL with a password, a Telegram token. */
const SECRET_VALUE = /:\/\/[^\s:@/]+:[^\s@/]+@|\b\d{6,}:[A-Za-z0-9_-]{30,}/;

/** A lower-case stack name from whatever the source called the service. */
export function serviceName(app: App, kind: PlannedKind, target: string): string {
  let raw: string;
  if (app.format === 'pm2') raw = app.name;
  else if (kind === 'mongod') raw = 'mongod';
  else if (kind === 'uvicorn') raw = (target.split(':')[0] ?? target).split('.')[0] ?? target;
  else if (kind === 'command') {
    const spec = app.argv.find((w) => /^[A-Za-z_][\w.]*:[A-Za-z_]\w*$/.test(w));
    raw = spec !== undefined ? (spec.split('.')[0] ?? spec).split(':')[0] ?? spec : (app.database ?? basename(app.argv[0] ?? 'command'));
  } else {
    const stem = basename(target).replace(/\.(py|js|mjs|cjs|ts)$/, '');
    const dir = basename(dirname(target));
    raw = GENERIC.test(stem) && dir !== '.' && dir !== '' ? dir : stem;
  }
  const name = raw.toLowerCase().replace(/[_-]?v\d+$/, '').replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z]+/, '').slice(0, 40);
  return name === '' ? kind : name;
}

function uniqueName(name: string, taken: Set<string>): string {
  let n = name;
  for (let i = 2; taken.has(n); i++) n = `${name}-${i}`;
  taken.add(n);
  return n;
}

interface SplitEnv {
  env: Record<string, string>;
  secrets: string[];
  /** Loose keys (assigned on a line of their own) that reached this app's environment. */
  exported: string[];
  /** Keys the source took from its own environment (`KEY: process.env.KEY`, unset when it was read). */
  inherited: string[];
}

function splitEnv(env: Readonly<Record<string, string>>, loose: readonly string[], unset: readonly string[] = []): SplitEnv {
  const out: SplitEnv = { env: {}, secrets: [], exported: [], inherited: [] };
  for (const k of unset) (isSecretKey(k) ? out.secrets : out.inherited).push(k);
  for (const [k, v] of Object.entries(env)) {
    if (isSecretKey(k) || SECRET_VALUE.test(v)) {
      (loose.includes(k) ? out.exported : out.secrets).push(k);
    } else if (v === 'undefined' || v === 'null') out.inherited.push(k);
    else if (!DROPPED_ENV.test(k) && !/\$/.test(v) && /^[A-Za-z_]\w*$/.test(k)) out.env[k] = v;
  }
  return out;
}

/** Dependencies from start order: a port an env value names is certain; anything else a guess. */
function dependencies(app: App, earlier: readonly PlannedService[]): { name: string; guess: boolean }[] {
  const named = earlier.filter((e) => e.port !== null && Object.values(app.env).some((v) => new RegExp(`:${e.port}\\b`).test(v)));
  if (named.length > 0) return named.map((e) => ({ name: e.name, guess: false }));
  const db = earlier.filter((e) => e.database).map((e) => ({ name: e.name, guess: true }));
  const api = earlier.find((e) => !e.database && e.port !== null);
  return api ? [{ name: api.name, guess: true }] : db;
}

/**
 * A key the file assigns on a line of its own (`TOKEN=…` at the top) is a
 * secret of a service only if the script exports it to that service or the
 * service's own code reads it; anything else is local to the script (a token a
 * curl uses). A key no service's code is seen reading goes to the bots and
 * scripts it is exported to, as servers rarely read them.
 */
function attachLooseSecrets(services: PlannedService[], keys: readonly string[]): string[] {
  const local: string[] = [];
  for (const k of keys.filter((key) => !services.some((s) => s.secrets.includes(key)))) {
    const readers = services.filter((s) => s.codeReads?.includes(k));
    const exportedTo = services.filter((s) => s.exported?.includes(k));
    const scripts = exportedTo.filter((s) => s.kind === 'python' || s.kind === 'node');
    const to = readers.length > 0 ? readers : scripts.length > 0 ? scripts : exportedTo.filter((s) => !s.database);
    if (to.length === 0) local.push(k);
    for (const s of to) (s as { secrets: readonly string[] }).secrets = [...s.secrets, k];
  }
  return local;
}

/**
 * A secret the project keeps in its `.env` that the script never mentions (the
 * bot calls load_dotenv() itself) is still a secret of each service whose own
 * code reads it: botstack then hands it over from .env, and start names it when
 * it is missing.
 */
function attachDotenvSecrets(services: readonly PlannedService[], keys: readonly string[]): void {
  for (const k of keys.filter(isSecretKey)) {
    for (const s of services) {
      if (s.codeReads?.includes(k) && !s.secrets.includes(k)) (s as { secrets: readonly string[] }).secrets = [...s.secrets, k];
    }
  }
}

/**
 * The app's folder as the stack will say it: nothing when it is the root, or when
 * the source computes it (`cd "$(dirname "$0")"`), which means "where the script is".
 */
function cwdFor(raw: string | null, root: string | null): string | null {
  const cwd = raw?.replace(/^\$\(\s*dirname\s+"?\$(0|\{BASH_SOURCE(\[0\])?\})"?\s*\)\/?/, '') ?? null;
  if (cwd === null || cwd === '' || cwd === root || cwd === '.' || cwd === './' || !/^[\w./@+~-]+$/.test(cwd)) return null;
  if (root === null || !isAbsolute(cwd)) return cwd;
  const rel = relative(root, cwd);
  return rel.startsWith('..') ? cwd : rel;
}

/** The health route the app's code declares, when the script polls none. */
function healthOf(app: App, src: SourceApps, port: number | null): Pick<PlannedService, 'healthPath' | 'healthFrom' | 'healthLooked'> {
  const polled = port !== null ? (src.hints.healthPaths[port] ?? null) : null;
  if (polled !== null) return { healthPath: polled };
  const facts = src.facts?.get(app);
  if (facts?.route) return { healthPath: facts.route.path, healthFrom: `declared in ${facts.route.shown} line ${facts.route.line}` };
  return { healthPath: null, ...(facts?.looked ? { healthLooked: facts.looked } : {}) };
}

/** One app -> one planned service; `earlier` are the services started before it. */
function planService(app: App, src: SourceApps, earlier: readonly PlannedService[], root: string | null, taken: Set<string>): PlannedService {
  const k = kindOf(app);
  const { env, secrets, exported, inherited } = splitEnv(app.env, src.hints.secretKeys, app.unsetEnv);
  const wanted = k.kind === 'mongod' ? (app.port ?? 27017) : app.port;
  const holder = earlier.find((x) => wanted !== null && x.port === wanted);
  const port = holder ? null : wanted;
  if (holder) delete env.PORT;
  const dropped = k.kind === 'uvicorn' ? withoutDevFlags(app.argv).dropped : [];
  const workers = k.kind === 'uvicorn' ? Number(optionValue(app.argv, ['--workers']) ?? NaN) : NaN;
  const name = uniqueName(serviceName(app, k.kind, k.target), taken);
  const rawDb = k.kind === 'mongod' ? (optionValue(app.argv, ['--dbpath']) ?? null) : null;
  const paths = resolvePaths(name, { cwd: cwdFor(app.cwd, root), rawCwd: app.cwd, target: k.target, kind: k.kind, dbpath: rawDb });
  const reads = src.facts?.get(app)?.reads;
  return {
    name,
    kind: k.kind,
    database: app.database !== null,
    target: paths.target,
    args: k.args,
    cwd: paths.cwd,
    port,
    publicHost: app.host !== null && !LOOPBACK.test(app.host) ? app.host : null,
    dbpath: paths.dbpath,
    workers: Number.isInteger(workers) && workers > 1 ? workers : null,
    reloadInDevelopment: dropped.length > 0,
    env,
    secrets,
    dependsOn: app.database !== null ? [] : dependencies(app, earlier),
    ...healthOf(app, src, port),
    ...(paths.unresolved.length > 0 ? { unresolved: paths.unresolved } : {}),
    ...(exported.length > 0 ? { exported } : {}),
    ...(reads ? { codeReads: [...reads] } : {}),
    notes: [
      ...k.notes,
      ...(inherited.length > 0 ? [`${inherited.join(', ')} came from the environment pm2 was started in; put ${inherited.length === 1 ? 'it' : 'them'} in env: {…}, or in <root>/.env and secrets: […]`] : []),
      ...(holder ? [`the source gave it port ${wanted}, which ${holder.name} already has: one of them would fail to bind; give it a port of its own`] : []),
      ...(dropped.length > 0 ? [`dropped ${dropped.join(' ')}: production never reloads; reloadInDevelopment keeps it for BOTSTACK_ENV=development`] : []),
    ],
    origin: `${basename(src.file)} ${app.ref}`,
  };
}

/** Two apps that run the same program on the same port (or both on none). */
const sameService = (a: App, b: App): boolean => basename(a.argv[0] ?? '') === basename(b.argv[0] ?? '') && a.port === b.port;

export function buildPlan(sources: readonly SourceApps[], stackName: string): InitPlan {
  const services: PlannedService[] = [];
  const root = sources[0]?.hints.root ?? null;
  const taken = new Set<string>();
  const localKeys: string[] = [];
  for (const src of sources) {
    const fromHere = services.length;
    const kept: App[] = [];
    for (const app of src.apps) {
      // The same service started in two branches of an if/else or case (a Mac branch and a server
      // branch): only one ever runs, so the stack gets one service, not two on one port.
      const twin = kept.findIndex((k) => exclusive(k, app) && sameService(k, app));
      if (twin >= 0) {
        const i = fromHere + twin;
        const s = services[i]!;
        services[i] = { ...s, notes: [...s.notes, `${app.ref} starts it too, in another branch of an if/case: only one runs; init kept this one`] };
        continue;
      }
      kept.push(app);
      services.push(planService(app, src, services, root, taken));
    }
    localKeys.push(...attachLooseSecrets(services.slice(fromHere), src.hints.secretKeys));
    attachDotenvSecrets(services.slice(fromHere), src.dotenvKeys ?? []);
  }
  const secrets = [...new Set(services.flatMap((s) => s.secrets))];
  const venv = sources[0]?.hints.venv ?? null;
  const unresolvedVenv = isUnresolved(venv) ? { venvUnresolved: venv } : {};
  return { name: stackName, root, venv: isUnresolved(venv) ? null : venv, ...unresolvedVenv, services, secrets, ...(localKeys.length > 0 ? { localKeys: [...new Set(localKeys)] } : {}) };
}
