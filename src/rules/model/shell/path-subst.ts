import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { tokenize } from '../words.js';
import type { Vars } from './expand.js';
import { substitutionEnd } from '../words.js';

// The command substitutions scripts use to find their own folder, evaluated
// without running anything: `$(dirname "$0")`, `${BASH_SOURCE[0]}`,
// `$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)`, `$(readlink -f "$0")`,
// `$(realpath …)`, `${0%/*}`, and `$(cd "$SCRIPT_DIR/.." && pwd)` over a
// variable already known. Only path arithmetic is done (symlinks are taken as
// the script's path as found); anything else stays as written, and the caller
// knows it did not resolve.

export interface PathEnv {
  /** The script's own path ($0, BASH_SOURCE[0]), absolute when known. */
  readonly script: string | null;
  /** The folder the substitution runs in (the script's cwd at that point). */
  readonly cwd: string | null;
  readonly vars: Vars;
}

export interface Expanded {
  readonly text: string;
  /** False when some `$…` part stayed as written. */
  readonly resolved: boolean;
}

const SELF = /^\$(?:0|\{0\}|\{BASH_SOURCE(?:\[0\])?\}|BASH_SOURCE)/;
const SELF_DIR = /^\$\{(?:0|BASH_SOURCE(?:\[0\])?)%\/\*\}/;
const SELF_NAME = /^\$\{(?:0|BASH_SOURCE(?:\[0\])?)##\*\/\}/;
const VAR = /^\$(?:\{(\w+)\}|(\w+))/;
const REDIRECT = /^(\d?>>?|&>>?|<|\d?>&\d|2>&1|1>&2|>&2)$/;

/** Index just past the `)` matching the `$(` at `i`: single quotes skipped, the `$(…)` inside double quotes counted; -1 when unclosed. */
const closeParen = (s: string, i: number): number => substitutionEnd(s, i, { countInDoubleQuotes: true, unclosed: -1 });

const canonical = (p: string, cwd: string | null): string | null => (isAbsolute(p) ? resolve(p) : cwd !== null ? resolve(cwd, p) : null);

/** One command of the substitution: its output, `cd`'s new folder in `st`, or undefined when it is not path arithmetic. */
function step(words: string[], st: { cwd: string | null }): string | null | undefined {
  const [cmd, ...rest] = words;
  const args = rest.filter((w) => !/^-/.test(w) || w === '-');
  const arg = args[0];
  switch (cmd) {
    case 'cd':
    case 'pushd':
      if (arg === undefined) return undefined;
      st.cwd = canonical(arg, st.cwd);
      return st.cwd === null ? undefined : null;
    case 'pwd':
      return st.cwd ?? undefined;
    case 'dirname':
      return arg !== undefined ? dirname(arg) : undefined;
    case 'basename':
      return arg !== undefined ? basename(arg, args[1]) : undefined;
    case 'realpath':
    case 'readlink':
    case 'greadlink':
      if (cmd !== 'realpath' && !rest.some((w) => /^-(f|e|m)$|^--canonicalize/.test(w))) return undefined;
      return arg !== undefined ? (canonical(arg, st.cwd) ?? undefined) : undefined;
    case 'echo':
    case 'printf':
      return args.join(' ');
    default:
      return undefined;
  }
}

/** The output of `$(inner)`, or null when it is anything but path arithmetic over known values. */
export function evalSubstitution(inner: string, env: PathEnv): string | null {
  const st = { cwd: env.cwd };
  let out: string | null = null;
  let words: string[] = [];
  const tokens = [...tokenize(inner), { text: ';', op: true }];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.op && REDIRECT.test(t.text)) {
      if (!/&\d$/.test(t.text)) i++; // its target
      continue;
    }
    if (!t.op) {
      const e = expandPath(t.text, { ...env, cwd: st.cwd });
      if (!e.resolved) return null;
      words.push(e.text);
      continue;
    }
    if (!/^(&&|;|\|\|)$/.test(t.text)) return null; // a pipe, a subshell: not arithmetic
    if (words.length > 0) {
      const r = step(words, st);
      if (r === undefined) return null;
      if (r !== null) out = r;
    }
    words = [];
    if (t.text === '||') break; // the left side succeeded, as it does when the path exists
  }
  return out;
}

/** A word with its self-location parts and known variables expanded. */
export function expandPath(word: string, env: PathEnv): Expanded {
  let text = '';
  let resolved = true;
  for (let i = 0; i < word.length; ) {
    const rest = word.slice(i);
    const self = SELF_DIR.exec(rest) ?? SELF.exec(rest);
    const name = SELF_NAME.exec(rest);
    if (name) {
      text += env.script === null ? name[0] : basename(env.script);
      resolved &&= env.script !== null;
      i += name[0].length;
    } else if (rest.startsWith('$PWD') && !/^\$PWD\w/.test(rest)) {
      text += env.cwd ?? '$PWD';
      resolved &&= env.cwd !== null;
      i += 4;
    } else if (self) {
      const v = env.script === null ? null : self[0].includes('%') ? dirname(env.script) : env.script;
      text += v ?? self[0];
      resolved &&= v !== null;
      i += self[0].length;
    } else if (rest.startsWith('$(') && !rest.startsWith('$((')) {
      const end = closeParen(word, i);
      const v = end > 0 ? evalSubstitution(word.slice(i + 2, end - 1), env) : null;
      text += v ?? word.slice(i, end > 0 ? end : word.length);
      resolved &&= v !== null;
      i = end > 0 ? end : word.length;
    } else if (rest.startsWith('`')) {
      const end = word.indexOf('`', i + 1);
      const v = end > 0 ? evalSubstitution(word.slice(i + 1, end), env) : null;
      text += v ?? word.slice(i, end > 0 ? end + 1 : word.length);
      resolved &&= v !== null;
      i = end > 0 ? end + 1 : word.length;
    } else if (VAR.test(rest)) {
      const m = VAR.exec(rest)!;
      const v = env.vars.get(m[1] ?? m[2] ?? '')?.[0];
      const ok = v !== undefined && !v.includes('$');
      text += ok ? v : m[0];
      resolved &&= ok;
      i += m[0].length;
    } else {
      if (rest.startsWith('$')) resolved = resolved && !/^\$[{\w(]/.test(rest);
      text += word[i];
      i++;
    }
  }
  return { text, resolved };
}

/** Whether a word computes a path from the script's own location (what init must resolve or leave to the operator). */
export const locatesSelf = (word: string): boolean => /\$(?:0\b|\{0[}%]|\{?BASH_SOURCE)/.test(word);
