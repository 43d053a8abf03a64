import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { isVenvPath } from '../command.js';
import type { ScriptState } from './state.js';

// The commands that change the script's own state rather than start anything
// (cd, source activate, export, ulimit, assignments), and which git commands
// pull new code onto the host.

const ACTIVATORS = /(^|\/)activate(\.sh)?$/;

export function setVar(s: ScriptState, k: string, v: string): void {
  s.vars.set(k, [v]);
}

/** cd, source activate, export, ulimit, assignments: true when the command was one of them. */
export function builtin(words: readonly string[], env: Readonly<Record<string, string>>, s: ScriptState): boolean {
  const [cmd, arg] = words;
  if (cmd === undefined) {
    for (const [k, v] of Object.entries(env)) setVar(s, k, v);
    return true;
  }
  if (cmd === 'cd' || cmd === 'pushd') {
    if (arg === undefined || arg === '-' || arg.startsWith('~')) s.cwd = arg?.startsWith('~') ? arg : null;
    // Unresolved (`cd "$APP_HOME"`): kept as written, so init can say what to fill in rather than guess.
    else if (/[`$]/.test(arg)) s.cwd = arg;
    else if (s.cwd === null || isAbsolute(arg)) s.cwd = arg;
    else s.cwd = isAbsolute(s.cwd) ? resolve(s.cwd, arg) : /[`$]/.test(s.cwd) ? `${s.cwd}/${arg}` : normalize(join(s.cwd, arg));
  } else if ((cmd === 'source' || cmd === '.') && arg !== undefined) {
    if (ACTIVATORS.test(arg)) {
      s.venv = true;
      // The venv's folder, as far as the walk resolved it (`source "$DIR/venv/bin/activate"`).
      s.venvDir = dirname(dirname(arg));
    }
  } else if (cmd === 'deactivate') s.venv = false;
  else if ((cmd === 'conda' || cmd === 'mamba' || cmd === 'micromamba' || cmd === 'pyenv') && arg === 'activate') s.venv = true;
  else if (cmd === 'workon') s.venv = true;
  else if (cmd === 'export' || cmd === 'local' || cmd === 'declare' || cmd === 'readonly' || cmd === 'typeset') {
    for (const w of words.slice(1)) {
      if (w.startsWith('-')) continue;
      const eq = w.indexOf('=');
      const k = eq > 0 ? w.slice(0, eq) : w;
      if (eq > 0) setVar(s, k, w.slice(eq + 1));
      if (cmd === 'export') s.exported[k] = s.vars.get(k)?.[0] ?? '';
      if (k === 'PATH' && eq > 0 && isVenvPath(`${w.slice(eq + 1).split(':')[0] ?? ''}/x`)) s.venv = true;
      if (k === 'VIRTUAL_ENV' && eq > 0) s.venv = true;
    }
  } else if (cmd === 'ulimit') {
    const kb = words.slice(1).find((w) => /^\d+$/.test(w));
    if (kb && words.some((w) => /^-[SH]?[vm]$/.test(w))) s.memoryBytes = Number(kb) * 1024;
  } else if (cmd === 'unset') for (const w of words.slice(1)) s.vars.delete(w);
  else return false;
  return true;
}

/** `git pull`, or a hard reset / merge / rebase onto what a fetch brought: the code on disk changes under the running services. */
export function isPull(argv: readonly string[]): boolean {
  if ((argv[0] ?? '').split('/').pop() !== 'git') return false;
  const rest = argv.slice(1).filter((w, i, a) => !(a[i - 1] === '-C' || w === '-C' || w.startsWith('-c') || a[i - 1] === '-c'));
  const upstream = rest.some((w) => /^(origin|upstream)\/|@\{u(pstream)?\}|FETCH_HEAD/.test(w));
  const refs = rest.slice(1).filter((w) => !w.startsWith('-'));
  if (rest[0] === 'pull') return true;
  if (rest[0] === 'reset') return rest.includes('--hard') && upstream;
  // `git merge` with no ref merges the upstream, as pull does after a fetch.
  if (rest[0] === 'merge' || rest[0] === 'rebase') return upstream || refs.length === 0;
  return false;
}
