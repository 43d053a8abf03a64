import { basename, dirname, isAbsolute, relative, sep } from 'node:path';
import { startLevels } from '../../stack/order.js';
import type { Service, Stack } from '../../stack/types.js';
import { unheld } from '../../stack/launch-held.js';

// Which services a set of changed paths touches, and in what order they
// restart. Pure: the changed paths (relative to the git top level) and the
// stack come in, the plan goes out.

export interface DeployPlan {
  readonly changed: readonly string[];
  /** Services to restart, in dependency order (dependencies first). */
  readonly services: readonly string[];
  /** Why each service restarts: the paths that map to it. */
  readonly reasons: Readonly<Record<string, readonly string[]>>;
  /** Changed paths no service claims: they restart every Python service. */
  readonly unmapped: readonly string[];
  /** requirements*.txt and pyproject.toml that changed: pip runs before any restart. */
  readonly requirements: readonly string[];
  /** The stack file itself changed (pm2 keeps the old settings until `botstack start`). */
  readonly stackFileChanged: boolean;
}

const PYTHON = new Set(['uvicorn', 'python']);
/**
 * requirements*.txt anywhere (api_v2/requirements.txt is common); pyproject.toml
 * only the project's own, at the top: one under vendor/ describes a package that
 * a requirements line installs, not the project.
 */
export const isRequirements = (p: string, rootRel = ''): boolean => /^requirements[^/]*\.txt$/.test(basename(p)) || p === `${rootRel}pyproject.toml`;

/** Path prefixes (relative to `top`, "/" separated) a service owns; a prefix ending in "/" is a folder. */
export function ownedPaths(s: Service, top: string, root: string): string[] {
  const rel = (abs: string) => relative(top, abs).split(sep).join('/');
  const inside = (abs: string) => !rel(abs).startsWith('..') && !isAbsolute(rel(abs));
  const out: string[] = [];
  const folderOf = (file: string) => {
    // A script at the top of the repo owns only itself, or it would own everything.
    if (dirname(file) === top || !inside(file)) out.push(rel(file));
    else out.push(`${rel(dirname(file))}/`);
  };
  if (s.kind === 'uvicorn') {
    // "api_v2.app:app": the package folder api_v2/, or a top-level module api_v2.py.
    // The app is the first argument of uvicorn itself: after the holder and envexec.py's env file, if any.
    const own = unheld(s.launch);
    const app = (own.script.endsWith('envexec.py') ? own.args[2] : own.args[0]) ?? '';
    const pkg = app.split(':')[0]?.split('.')[0] ?? '';
    const base = rel(s.cwd);
    const prefix = base === '' ? '' : `${base}/`;
    if (pkg) out.push(`${prefix}${pkg}/`, `${prefix}${pkg}.py`);
  } else if (s.kind === 'python' || s.kind === 'node') {
    // With secrets, pm2 runs envexec.py with [envFile, script, ...args].
    const script = s.launch.script.endsWith('envexec.py') ? (s.launch.args[1] ?? s.launch.script) : s.launch.script;
    folderOf(script);
  }
  for (const p of s.deployPaths ?? []) {
    const abs = isAbsolute(p) ? p : `${root}/${p}`;
    const r = rel(abs);
    out.push(p.endsWith('/') ? `${r}/` : r);
  }
  return out;
}

const owns = (prefix: string, path: string): boolean => (prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix || path.startsWith(`${prefix}/`));

/** `extra`: services an interrupted deploy may have restarted on the other commit. */
export function planDeploy(stack: Stack, top: string, changed: readonly string[], extra: readonly string[] = []): DeployPlan {
  const owned = new Map(stack.services.map((s) => [s.name, ownedPaths(s, top, stack.root)]));
  const reasons = new Map<string, string[]>();
  const add = (name: string, path: string) => reasons.set(name, [...(reasons.get(name) ?? []), path]);
  const unmapped: string[] = [];
  for (const path of changed) {
    const claimed = stack.services.filter((s) => (owned.get(s.name) ?? []).some((p) => owns(p, path)));
    if (claimed.length === 0) unmapped.push(path);
    for (const s of claimed) add(s.name, path);
  }
  if (unmapped.length > 0) for (const s of stack.services) if (PYTHON.has(s.kind)) for (const p of unmapped) add(s.name, p);
  for (const name of extra) if (stack.services.some((s) => s.name === name)) add(name, '(interrupted deploy)');
  const chosen = stack.services.filter((s) => reasons.has(s.name));
  // Order among the chosen only: a dependency that does not restart is already up.
  const inPlan = chosen.map((s) => ({ ...s, dependsOn: s.dependsOn.filter((d) => reasons.has(d)) }));
  const stackRel = relative(top, stack.file).split(sep).join('/');
  const rootRel = relative(top, stack.root).split(sep).join('/');
  const rootPrefix = rootRel === '' ? '' : `${rootRel}/`;
  return {
    changed,
    services: startLevels(inPlan).flat().map((s) => s.name),
    reasons: Object.fromEntries(reasons),
    unmapped,
    requirements: changed.filter((p) => isRequirements(p, rootPrefix)),
    stackFileChanged: changed.includes(stackRel),
  };
}
