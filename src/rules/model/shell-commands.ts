import { tokenize, type Token } from './words.js';

// Splits a start script into the simple commands it runs, each with its line,
// whether it was backgrounded, its inline env, wrapper (nohup/exec) and where
// its stdout/stderr were redirected.

export interface ShellCommand {
  readonly line: number;
  /** Words after the wrappers and assignments, redirections removed. */
  readonly words: readonly string[];
  /** `K=V cmd` and `env K=V cmd`. */
  readonly env: Readonly<Record<string, string>>;
  readonly background: boolean;
  readonly nohup: boolean;
  readonly exec: boolean;
  /** Redirect targets; `2>&1` makes err follow out. `| tee f` counts as out. */
  readonly out: string | null;
  readonly err: string | null;
}

/** Logical lines (backslash continuations joined) with their first line number. */
export function logicalLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let pending: { line: number; text: string } | null = null;
  for (const [i, raw] of text.split('\n').entries()) {
    const cur: { line: number; text: string } = pending ?? { line: i + 1, text: '' };
    if (/\\\s*$/.test(raw)) {
      cur.text += raw.replace(/\\\s*$/, ' ');
      pending = cur;
      continue;
    }
    cur.text += raw;
    out.push(cur);
    pending = null;
  }
  if (pending) out.push(pending);
  return out;
}

const SEPARATORS = new Set(['&&', '||', ';', '&']);
const WRAPPERS = new Set(['nohup', 'exec', 'setsid', 'nice', 'stdbuf', 'env', 'sudo', 'time']);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/** Pipelines of one logical line: tokens up to `&&`, `||`, `;` or `&`. */
function pipelines(tokens: readonly Token[]): { tokens: Token[]; background: boolean }[] {
  const out: { tokens: Token[]; background: boolean }[] = [];
  let cur: Token[] = [];
  for (const t of tokens) {
    if (t.op && SEPARATORS.has(t.text)) {
      if (cur.length > 0) out.push({ tokens: cur, background: t.text === '&' });
      cur = [];
    } else cur.push(t);
  }
  if (cur.length > 0) out.push({ tokens: cur, background: false });
  return out;
}

function redirections(tokens: readonly Token[]): { words: string[]; out: string | null; err: string | null } {
  const words: string[] = [];
  let out: string | null = null;
  let err: string | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (!t.op) {
      words.push(t.text);
      continue;
    }
    if (t.text === '2>&1') err = out;
    else if (t.text === '|') break; // the rest is the pipe's consumer, read below
    else if (['>', '>>', '1>', '1>>', '&>', '&>>', '2>', '2>>'].includes(t.text)) {
      const target = tokens[++i]?.text ?? null;
      if (t.text.startsWith('2')) err = target;
      else out = target;
      if (t.text.startsWith('&')) err = target;
    }
  }
  return { words, out, err };
}

function teeTarget(tokens: readonly Token[]): string | null {
  const pipe = tokens.findIndex((t) => t.op && t.text === '|');
  if (pipe < 0) return null;
  const rest = tokens.slice(pipe + 1).filter((t) => !t.op).map((t) => t.text);
  return rest[0] === 'tee' ? (rest.find((w, i) => i > 0 && !w.startsWith('-')) ?? null) : null;
}

function command(line: number, p: { tokens: Token[]; background: boolean }): ShellCommand {
  const r = redirections(p.tokens);
  const env: Record<string, string> = {};
  let nohup = false;
  let exec = false;
  let i = 0;
  for (; i < r.words.length; i++) {
    const w = r.words[i] ?? '';
    const a = ASSIGNMENT.exec(w);
    if (a) env[a[1] ?? ''] = a[2] ?? '';
    else if (WRAPPERS.has(w)) {
      nohup ||= w === 'nohup';
      exec ||= w === 'exec';
    } else if (!(w.startsWith('-') && i > 0 && WRAPPERS.has(r.words[i - 1] ?? '')) && !/^\d+$/.test(w)) break;
  }
  const out = r.out ?? teeTarget(p.tokens);
  return { line, words: r.words.slice(i), env, background: p.background, nohup, exec, out, err: r.err ?? (r.out === null ? out : null) };
}

/** Every simple command in the script, in order. */
export function shellCommands(text: string): ShellCommand[] {
  return logicalLines(text).flatMap((l) => pipelines(tokenize(l.text)).map((p) => command(l.line, p)));
}
