import type { Token } from '../words.js';
import { builtin, isPull } from './builtins.js';
import { expand } from './expand.js';
import { inlineShellHeredocs } from './heredoc-scripts.js';
import { expandPath } from './path-subst.js';
import { unwrap } from './launch.js';
import type { Launch, LoopInfo, PullCommand, RunResult } from './results.js';
import { redirections } from './simple.js';
import { clone, freshState, merge, type ScriptState } from './state.js';
import { parseShell, type Node } from './syntax.js';

// Walks a script the way bash would run it, without running anything: variables
// are propagated as constants (with every value an if/case branch may give them),
// `cd` moves the working folder, `source .../activate` switches to a venv,
// functions are entered with their arguments, and each if/case branch is walked
// as an alternative of its siblings. Every command that would start a program is
// recorded as a Launch; `git pull`s are recorded for auto-pull.

export type { Launch, LoopInfo, PullCommand, RunResult } from './results.js';
export { freshState, type ScriptState } from './state.js';

interface Ctx {
  readonly funcs: Map<string, readonly Node[]>;
  readonly choices: Readonly<Record<string, number>>;
  readonly bg: boolean;
  readonly out: string | null;
  readonly err: string | null;
  readonly loop: LoopInfo | null;
  readonly args: readonly string[];
  readonly depth: number;
  readonly dev: boolean;
  readonly tty: boolean;
  /** A line number to report instead of the nested one (bash -c strings, cron lines). */
  readonly line: number | null;
  /** The file's own line where nested text has none of its own (bash -c, a cron line), but not a function call's. */
  readonly ownAt: number | null;
  /** The script's own path, for `$0`, `${BASH_SOURCE[0]}` and `$(dirname …)`. */
  readonly script: string | null;
  readonly launches: Launch[];
  readonly pulls: PullCommand[];
}

const DEV_ARM = /^(dev|develop|development|local|debug|watch|reload|devel)$/i;

/** `exec <program>` replaces the shell and `exit` ends it, unless either sits in an `&&`/`||` list or runs in the background. */
function endsScript(n: Node & { t: 'cmd' }): boolean {
  if (n.chained || n.bg) return false;
  const words = redirections(n.tokens).words.filter((w) => !/^\w+=/.test(w));
  return words[0] === 'exit' || (words[0] === 'exec' && words.length > 1);
}

class Walker {
  private index = 0;

  run(nodes: readonly Node[], s: ScriptState, c: Ctx): void {
    for (const n of nodes) {
      if (s.done) return;
      this.node(n, s, c);
    }
  }

  private redirected(n: Node, c: Ctx, s: ScriptState): Ctx {
    const r = n.redir.length > 0 ? redirections(n.redir.map((t) => ({ ...t, text: expand(t.text, s.vars, c.args)[0] ?? t.text }))) : null;
    return { ...c, bg: c.bg || n.bg, out: r?.out ?? c.out, err: r?.err ?? c.err };
  }

  private node(n: Node, s: ScriptState, c0: Ctx): void {
    const before = s.done;
    this.step(n, s, c0);
    // `[ -z "$1" ] && usage` (whose body exits): the list may not have run, so the script goes on.
    if (n.chained) s.done = before;
  }

  private step(n: Node, s: ScriptState, c0: Ctx): void {
    const c = this.redirected(n, c0, s);
    switch (n.t) {
      case 'cmd':
        this.command(n.tokens, n.line, s, c, n.bg);
        if (endsScript(n)) s.done = true;
        return;
      case 'func':
        c.funcs.set(n.name, n.body);
        return;
      case 'group':
        return this.run(n.body, n.subshell || n.bg ? clone(s) : s, c);
      case 'loop': {
        const sleep = n.body.find((b) => b.t === 'cmd' && b.tokens[0]?.text === 'sleep');
        const secs = sleep?.t === 'cmd' ? Number.parseFloat(sleep.tokens[1]?.text ?? '') : Number.NaN;
        const loop = n.forever ? { line: n.line, sleepMs: Number.isFinite(secs) ? secs * 1000 : null } : c.loop;
        return this.run(n.body, s, { ...c, loop });
      }
      case 'if':
      case 'case': {
        const group = `${n.t}@${c.line ?? n.line}:${n.line}`;
        const ends = n.bodies.map((body, i) => {
          const branch = clone(s);
          const dev = c.dev || (n.t === 'case' && (n.patterns[i] ?? []).some((p) => DEV_ARM.test(p)));
          this.run(body, branch, { ...c, dev, choices: { ...c.choices, [group]: i } });
          return branch;
        });
        // Without an else (or a `*)` arm) nothing may run at all: the state before counts too.
        merge(s, n.t === 'if' && n.hasElse ? ends : [...ends, clone(s)]);
        return;
      }
    }
  }

  /** One word's expansion: the script locating itself (path arithmetic) when it resolves whole, else the constants. */
  private word(text: string, s: ScriptState, c: Ctx): string[] {
    if (/\$\(|`|\$\{?0\b|\$\{0%|BASH_SOURCE/.test(text)) {
      const e = expandPath(text, { script: c.script, cwd: s.cwd, vars: s.vars });
      if (e.resolved) return [e.text];
    }
    return expand(text, s.vars, c.args);
  }

  private command(tokens: readonly Token[], line: number, s: ScriptState, c: Ctx, ownBg = false): void {
    const expanded: Token[] = tokens.flatMap((t) => (t.op ? [t] : this.word(t.text, s, c).map((text) => ({ text, op: false }))));
    const r = redirections(expanded);
    const u = unwrap(r.words);
    const at = c.line ?? line;
    if (u.nested !== null) {
      // A command string runs in a child shell: its cd, exec or exit stay there.
      if (c.depth < 6) this.run(parseShell(u.nested), clone(s), { ...c, bg: c.bg || u.detached || u.nohup, tty: c.tty || u.tty, out: r.out ?? c.out, err: r.err ?? c.err, line: at, ownAt: c.ownAt ?? line, depth: c.depth + 1 });
      return;
    }
    // `exec >> /var/log/start.log 2>&1`: every later command writes there.
    if (u.exec && u.argv.length === 0) {
      s.stdout = r.out ?? s.stdout ?? null;
      s.stderr = r.err ?? s.stderr ?? null;
      return;
    }
    // A backgrounded `source venv/bin/activate &` runs in a subshell and changes nothing here.
    if (builtin(u.argv, u.env, ownBg ? clone(s) : s)) return;
    const fn = c.funcs.get(u.argv[0] ?? '');
    if (fn !== undefined) {
      // What a function starts is reported at the call: that line holds the command the operator edits.
      if (c.depth < 6) this.run(fn, c.bg ? clone(s) : s, { ...c, args: u.argv.slice(1), out: r.out ?? c.out, err: r.err ?? c.err, depth: c.depth + 1, line: at });
      return;
    }
    // The pull is reported where it is written (inside a function: its own line, not `main "$@"`).
    if (isPull(u.argv)) c.pulls.push({ line: c.ownAt ?? line, command: u.argv.join(' ') });
    const program = (u.argv[0] ?? '').split('/').pop() ?? '';
    const pm2 = (program === 'pm2' || program === 'pm2-runtime') && (u.argv[1] === 'start' || program === 'pm2-runtime') ? u.argv.slice(u.argv[1] === 'start' ? 2 : 1) : undefined;
    const venvArgv0 = expand(tokens.find((t) => !t.op && !/^\w+=/.test(t.text))?.text ?? '', s.vars, c.args, true)[0] ?? '';
    c.launches.push({
      line: at,
      ownLine: line,
      dev: c.dev,
      tty: c.tty || u.tty,
      index: this.index++,
      argv: u.argv,
      venvArgv0,
      env: { ...s.exported, ...u.env },
      background: c.bg,
      nohup: u.nohup,
      exec: u.exec,
      detached: u.detached,
      venv: s.venv || u.venv,
      ...(s.venv && s.venvDir !== undefined ? { venvDir: s.venvDir } : {}),
      cwd: u.cwd ?? s.cwd,
      memoryBytes: s.memoryBytes,
      out: u.log ?? r.out ?? c.out ?? s.stdout ?? null,
      err: u.log ?? r.err ?? (r.out === null ? (c.err ?? s.stderr ?? null) : null),
      choices: c.choices,
      loop: c.loop,
      ...(pm2 ? { pm2 } : {}),
    });
  }
}

export interface RunOptions {
  /** Report every command at this line (a crontab or unit line holding a one-line script). */
  readonly line?: number;
  readonly state?: ScriptState;
  /** The script's own path (absolute), so the script's-own-folder idioms resolve. */
  readonly script?: string;
}

export function runScript(text: string, opts: RunOptions = {}): RunResult {
  const launches: Launch[] = [];
  const pulls: PullCommand[] = [];
  const ctx: Ctx = { funcs: new Map(), choices: {}, bg: false, out: null, err: null, loop: null, args: [], depth: 0, dev: false, tty: false, line: opts.line ?? null, ownAt: opts.line ?? null, script: opts.script ?? null, launches, pulls };
  new Walker().run(parseShell(inlineShellHeredocs(text)), opts.state ?? freshState(), ctx);
  return { launches, pulls };
}
