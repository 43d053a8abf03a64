import { dirname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { DEFAULT_HEARTBEAT_MAX_AGE_MS, DEFAULT_HEARTBEAT_TIMING, DEFAULT_HTTP_PATH, ENV_DEFAULTS, KIND_DEFAULTS } from './defaults.js';
import type { EnvLookup, ServiceContext } from './context.js';
import { buildLaunch } from './launch.js';
import type { ParsedService, ParsedStack, Profile, healthInputSchema } from './schema.js';
import type { z } from 'zod';

type ParsedHealth = z.output<typeof healthInputSchema>;
import type { DeploySchedule, Health, Service, Stack, Timing } from './types.js';
import { everyToCron } from './cron.js';
import { parseDuration } from './units-plain.js';

// The many readers of EnvLookup know it from here, where env comes in.
export type { EnvLookup } from './context.js';

export interface ResolveOptions {
  readonly file: string;
  readonly env: EnvLookup;
  /** Overrides BOTSTACK_ENV and the file's own profile (from `--env` on the pm2 command line). */
  readonly profile?: Profile;
}

const at = (base: string, p: string): string => (isAbsolute(p) ? p : resolvePath(base, p));

/** Applies every default and makes every path absolute. Pure: env comes in as data. */
export function resolveStack(parsed: ParsedStack, opts: ResolveOptions): Stack {
  const { env } = opts;
  // A root written in the stack file is relative to that file; one from the environment, to the cwd.
  const fileDir = isAbsolute(opts.file) ? dirname(opts.file) : process.cwd();
  const root = parsed.root !== undefined ? at(fileDir, parsed.root) : at(process.cwd(), env.BOTSTACK_ROOT ?? ENV_DEFAULTS.BOTSTACK_ROOT);
  const venv = at(root, parsed.venv ?? env.BOTSTACK_VENV ?? 'venv');
  const logDir = at(root, parsed.logDir ?? env.BOTSTACK_LOG_DIR ?? 'logs');
  const envFile = at(root, parsed.envFile ?? '.env');
  const profile: Profile = opts.profile ?? parsed.profile ?? (env.BOTSTACK_ENV === 'development' ? 'development' : 'production');
  const ctx = { root, venv, logDir, envFile, profile, env };
  return {
    name: parsed.name,
    file: opts.file,
    root,
    venv,
    logDir,
    envFile,
    profile,
    services: parsed.services.map((s, index) => resolveService(s, index, ctx)),
    ...(parsed.alerts ? { alerts: parsed.alerts } : {}),
    ...(parsed.deploy ? { deploy: resolveSchedule(parsed.deploy) } : {}),
  };
}

function resolveService(s: ParsedService, index: number, ctx: ServiceContext): Service {
  const d = KIND_DEFAULTS[s.kind];
  const cwd = at(ctx.root, s.cwd ?? '.');
  const logDir = at(ctx.root, s.logs?.dir ?? ctx.logDir);
  const port = s.port ?? (s.kind === 'mongod' ? 27017 : null);
  const reload = s.kind === 'uvicorn' && ctx.profile === 'development' && s.reloadInDevelopment === true;
  const venv = s.kind === 'uvicorn' || s.kind === 'python' ? at(ctx.root, s.venv ?? ctx.venv) : null;
  const memory = s.limits?.memory;
  return {
    name: s.name,
    kind: s.kind,
    cwd,
    host: s.host ?? '127.0.0.1',
    port,
    env: { ...(s.env ?? {}) },
    secrets: [...(s.secrets ?? [])],
    health: resolveHealth(s, cwd),
    memoryBytes: memory === false ? null : (memory ?? d.memoryBytes),
    maxRestarts: s.limits?.maxRestarts ?? d.maxRestarts,
    minUptimeMs: s.limits?.minUptime ?? d.minUptimeMs,
    restartBackoffMs: s.limits?.restartBackoff ?? d.restartBackoffMs,
    stopTimeoutMs: s.stop?.timeout ?? d.stopTimeoutMs,
    dependsOn: [...(s.dependsOn ?? [])],
    outFile: join(logDir, `${s.name}.out.log`),
    errFile: join(logDir, `${s.name}.err.log`),
    watch: s.watch ?? false,
    reload,
    launch: buildLaunch(s, { ...ctx, cwd, venv, port, reload }),
    venv,
    ...((s.kind === 'uvicorn' || s.kind === 'python') && s.redactLogs !== undefined ? { redactLogs: s.redactLogs } : {}),
    index,
    ...(s.deploy ? { deployPaths: [...s.deploy.paths] } : {}),
  };
}

function resolveSchedule(d: NonNullable<ParsedStack['deploy']>): DeploySchedule {
  const r = everyToCron(parseDuration(d.every) ?? 0, d.every);
  // The schema refused every period cron cannot express, so r.ok holds here.
  return { every: d.every, cron: r.ok ? r.cron : '', ref: d.ref ?? null };
}

function resolveHealth(s: ParsedService, cwd: string): Health {
  const d = KIND_DEFAULTS[s.kind];
  const h: ParsedHealth = s.health ?? (d.health === 'http' ? { type: 'http', path: DEFAULT_HTTP_PATH } : d.health === 'mongo' ? { type: 'mongo' } : { type: 'none' });
  if (h.type === 'none') return { type: 'none' };
  const base: Timing = h.type === 'heartbeat' ? DEFAULT_HEARTBEAT_TIMING : d.timing;
  const timing: Timing = {
    intervalMs: h.interval ?? base.intervalMs,
    timeoutMs: h.timeout ?? base.timeoutMs,
    failureThreshold: h.failureThreshold ?? base.failureThreshold,
    startGraceMs: h.startGrace ?? base.startGraceMs,
  };
  switch (h.type) {
    case 'http':
      return {
        type: 'http',
        path: h.path,
        expectStatus: h.expectStatus ?? 200,
        ...(h.expectBody !== undefined ? { expectBody: h.expectBody } : {}),
        ...(h.expectJson !== undefined ? { expectJson: h.expectJson } : {}),
        ...timing,
      };
    case 'heartbeat':
      return { type: 'heartbeat', file: at(cwd, h.file), maxAgeMs: h.maxAge ?? DEFAULT_HEARTBEAT_MAX_AGE_MS, ...timing };
    default:
      return { type: h.type, ...timing };
  }
}
