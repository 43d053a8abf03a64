import { isAbsolute, join, resolve } from 'node:path';
import { runtimePaths } from '../util/package-root.js';
import { heldLaunch, wantsHolder } from './launch-held.js';
import type { ParsedService } from './schema.js';
import type { ServiceContext } from './context.js';
import type { Launch } from './types.js';

interface LaunchContext extends Omit<ServiceContext, 'venv'> {
  readonly cwd: string;
  readonly venv: string | null;
  readonly port: number | null;
  readonly reload: boolean;
}

/**
 * The command line pm2 runs. Python services use the venv's python as the
 * interpreter (pm2 runs an extension-less `uvicorn` script with node otherwise).
 * When a Python service declares secrets, it starts through envexec.py, which
 * reads <root>/.env inside the service so pm2 never stores the values.
 */
export function buildLaunch(s: ParsedService, ctx: LaunchContext): Launch {
  const extra = s.args ?? [];
  const host = s.host ?? '127.0.0.1';
  switch (s.kind) {
    case 'mongod': {
      const dbpath = resolve(ctx.root, s.dbpath ?? ctx.env.BOTSTACK_MONGO_DBPATH ?? 'data/db');
      const binary = pathLike(ctx.cwd, s.binary ?? ctx.env.BOTSTACK_MONGOD ?? 'mongod');
      const args = ['--dbpath', dbpath, '--bind_ip', host, '--port', String(ctx.port ?? 27017), ...extra];
      return { interpreter: 'none', script: binary, args };
    }
    case 'uvicorn': {
      const venv = ctx.venv ?? join(ctx.root, 'venv');
      const args = [s.app, '--host', host, ...(ctx.port !== null ? ['--port', String(ctx.port)] : [])];
      if (s.workers !== undefined) args.push('--workers', String(s.workers));
      if (ctx.reload) args.push('--reload');
      const launch = python(venv, join(venv, 'bin', 'uvicorn'), [...args, ...extra], s.secrets, ctx);
      // The port outlives each uvicorn: restarts, deploys and heals start the new one beside the old (docs/zero-downtime.md).
      return wantsHolder(s.kind, [...args, ...extra], ctx.env) ? heldLaunch(launch) : launch;
    }
    case 'python':
      return python(ctx.venv ?? join(ctx.root, 'venv'), abs(ctx.cwd, s.script), extra, s.secrets, ctx);
    case 'node':
      return { interpreter: 'node', script: abs(ctx.cwd, s.script), args: extra, ...(s.nodeArgs ? { nodeArgs: s.nodeArgs } : {}) };
    case 'command':
      return { interpreter: 'none', script: pathLike(ctx.cwd, s.command), args: extra };
    case 'monitor':
      // The monitor idles between probes: V8's optimising tiers and a 16 MB young
      // generation buy it nothing but RSS (~20 MB less with these; see BENCHMARKS.md).
      return { interpreter: 'node', script: runtimePaths.monitorMain(), args: extra, nodeArgs: MONITOR_NODE_ARGS };
  }
}

function python(venv: string, script: string, args: readonly string[], secrets: readonly string[] | undefined, ctx: LaunchContext): Launch {
  const interpreter = join(venv, 'bin', 'python');
  if (!secrets || secrets.length === 0) return { interpreter, script, args };
  return { interpreter, script: runtimePaths.envExec(), args: [ctx.envFile, script, ...args] };
}

// The monitor's memory flags (BENCHMARKS.md): no optimizing compiler, a 1 MB young
// generation. --no-expose-wasm: lite mode turns WebAssembly off anyway, and says so
// in a warning on every start unless told.
export const MONITOR_NODE_ARGS: readonly string[] = ['--lite-mode', '--max-semi-space-size=1', '--no-expose-wasm'];

const abs = (cwd: string, p: string): string => (isAbsolute(p) ? p : resolve(cwd, p));
/** A bare name ("mongod") is looked up on PATH; a relative path is relative to the service's folder. */
const pathLike = (cwd: string, p: string): string => (p.includes('/') ? abs(cwd, p) : p);
