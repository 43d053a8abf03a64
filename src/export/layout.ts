import { isAbsolute, posix, relative, sep } from 'node:path';
import { runtimePaths } from '../util/package-root.js';
import type { Service, Stack } from '../stack/types.js';
import { unheld } from '../stack/launch-held.js';

// Where things are inside a container. On the VPS a service runs from <root>
// with <venv>/bin/python; in the image the project is copied to /app and the
// image's own python runs it. mongod keeps its data in the official image's
// /data/db. Command lines are derived from launch.ts's, then moved.

export const APP_DIR = '/app';
export const MONGO_DATA_DIR = '/data/db';
/** Every interface inside the container: the network reaches it only there. */
export const ALL_INTERFACES = '0.0.0.0';

/** `p` under the stack root, as a path inside the image; null when it is outside the root. */
export function inImage(root: string, p: string): string | null {
  const rel = relative(root, p);
  if (rel === '') return APP_DIR;
  if (rel.startsWith('..') || isAbsolute(rel)) return null;
  return posix.join(APP_DIR, rel.split(sep).join('/'));
}

export function workdirOf(stack: Stack, s: Service): string | null {
  if (s.kind === 'mongod') return null;
  return inImage(stack.root, s.cwd) ?? APP_DIR;
}

export interface CommandLine {
  readonly argv: readonly string[];
  readonly warnings: readonly string[];
}

/** The container's command line for a service, from the one pm2 runs on the VPS. */
export function commandOf(stack: Stack, s: Service): CommandLine {
  const warnings: string[] = [];
  const workdir = workdirOf(stack, s) ?? APP_DIR;
  const path = (p: string): string => {
    const inside = inImage(stack.root, p);
    if (inside === null) {
      if (isAbsolute(p)) warnings.push(`${s.name}: ${p} is outside the stack root ${stack.root}, so the image does not hold it; kept as written`);
      return p;
    }
    const rel = posix.relative(workdir, inside);
    return rel.startsWith('..') ? inside : rel;
  };
  // A container runs uvicorn itself: the socket holder is for restarts under pm2 on one VPS.
  const l = unheld(s.launch);
  switch (s.kind) {
    case 'mongod':
      return { argv: ['mongod', ...mongodArgs(l.args)], warnings };
    case 'uvicorn':
    case 'python': {
      // envexec.py reads <root>/.env on the VPS; a container gets its env from the engine.
      const [script, ...args] = l.script === runtimePaths.envExec() ? l.args.slice(1) : [l.script, ...l.args];
      const moved = hostArgs(args, s, warnings).map((a) => (isAbsolute(a) ? path(a) : a));
      if (s.kind === 'uvicorn') return { argv: ['python', '-m', 'uvicorn', ...moved], warnings };
      return { argv: ['python', path(script ?? ''), ...moved], warnings };
    }
    case 'node':
      return { argv: ['node', ...(l.nodeArgs ?? []), path(l.script), ...l.args], warnings };
    case 'command':
      return { argv: [l.script.includes('/') ? path(l.script) : l.script, ...l.args], warnings };
    case 'monitor':
      return { argv: [], warnings };
  }
}

/** --dbpath moves to the image's data folder and --bind_ip becomes --bind_ip_all. */
function mongodArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--dbpath') out.push(a, MONGO_DATA_DIR), i++;
    else if (a === '--bind_ip') out.push('--bind_ip_all'), i++;
    else out.push(a);
  }
  return out;
}

/** uvicorn's --host becomes 0.0.0.0; --reload never ships (the export is for production). */
function hostArgs(args: readonly string[], s: Service, warnings: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--host') out.push(a, ALL_INTERFACES), i++;
    else if (a === '--reload') warnings.push(`${s.name}: --reload (the development profile) left out: an image never reloads`);
    else out.push(a);
  }
  return out;
}
