import { tokenize } from '../words.js';
import { Clauses } from './clauses.js';
import { logicalLines } from './lines.js';
import type { Base, LineToken, Node } from './nodes.js';

// A shell script's structure: simple commands, and the compound commands around
// them (if/elif/else, case, loops, { } groups, ( ) subshells, functions). Enough
// of bash's grammar to know which commands are alternatives of each other, which
// run in a restart loop and which are backgrounded as a block. It never throws:
// a script bash would reject still yields what could be read. Here: lists
// (`a && b &`), redirections and simple commands; the compound clauses are in clauses.ts.

const NL: Omit<LineToken, 'line'> = { text: '\n', op: true };
const LIST_SEPARATORS = new Set(['\n', ';', '&']);
const REDIRECT = /^(\d?>>?|&>>?|<|\d?>&\d|<<<?-?)$/;

function streamOf(text: string): LineToken[] {
  return logicalLines(text).flatMap((l) => [...tokenize(l.text).map((t) => ({ ...t, line: l.line })), { ...NL, line: l.line }]);
}

class Parser extends Clauses {
  /** Commands until `stop` says so at a command's start (the stop token is left in place). */
  list(stop: (t: LineToken) => boolean): Node[] {
    const out: Node[] = [];
    for (;;) {
      while (this.peek() && LIST_SEPARATORS.has(this.peek()?.text ?? '') && this.peek()?.op) this.i++;
      const t = this.peek();
      if (!t || stop(t)) return out;
      const before = this.i;
      out.push(...this.andOr(stop));
      if (this.i === before) this.i++; // never stall on a token nothing reads
    }
  }

  /** `a && b || c`, and a trailing `&` backgrounds all of them (bash runs the list in a subshell). */
  private andOr(stop: (t: LineToken) => boolean): Node[] {
    const nodes: Node[] = [];
    for (;;) {
      const t = this.peek();
      if (!t || stop(t)) break;
      const n = this.command(stop);
      if (n) nodes.push(n);
      if (this.isOp('&&') || this.isOp('||') || this.isOp('|') || this.isOp('|&')) {
        // `|` here follows a compound command (`done | tee log`): the consumer is not ours.
        this.i++;
        while (this.isOp('\n')) this.i++;
        continue;
      }
      break;
    }
    if (nodes.length > 1) for (const n of nodes) n.chained = true;
    if (this.isOp('&')) {
      this.i++;
      // bash runs a backgrounded list in a subshell: its cd and activate stay inside it.
      const first = nodes[0];
      if (nodes.length > 1 && first) return [{ line: first.line, bg: true, redir: [], t: 'group', body: nodes, subshell: true }];
      for (const n of nodes) n.bg = true;
    }
    return nodes;
  }

  private trailing(n: Node): Node {
    while (this.peek()?.op && REDIRECT.test(this.peek()?.text ?? '')) {
      n.redir.push(this.peek() as LineToken);
      this.i++;
      const target = this.peek();
      if (target && !target.op) {
        n.redir.push(target);
        this.i++;
      }
    }
    return n;
  }

  protected command(stop: (t: LineToken) => boolean): Node | null {
    const t = this.peek() as LineToken;
    const base = { line: t.line, bg: false, redir: [] as LineToken[] };
    if (!t.op) {
      if (t.text === '!') {
        this.i++;
        return this.command(stop);
      }
      if (t.text === 'if') return this.trailing(this.ifClause(base));
      if (t.text === 'while' || t.text === 'until') return this.trailing(this.loop(base, t.text));
      if (t.text === 'for' || t.text === 'select') return this.trailing(this.forLoop(base));
      if (t.text === 'case') return this.trailing(this.caseClause(base));
      if (t.text === '{') {
        this.i++;
        const body = this.list((x) => !x.op && x.text === '}');
        this.i++;
        return this.trailing({ ...base, t: 'group', body, subshell: false });
      }
      const next = this.peek(1);
      if (t.text === 'function' && next && !next.op) {
        this.i += 2;
        if (this.isOp('(') && this.isOp(')', 1)) this.i += 2;
        return this.funcBody(base, next.text);
      }
      if (this.isOp('(', 1) && this.isOp(')', 2)) {
        this.i += 3;
        return this.funcBody(base, t.text);
      }
    } else if (t.text === '(') {
      this.i++;
      if (this.isOp('(')) {
        // (( arithmetic )): nothing runs.
        while (this.peek() && !this.isOp('\n') && !this.isOp(';')) this.i++;
        return null;
      }
      const body = this.list((x) => x.op && x.text === ')');
      this.i++;
      return this.trailing({ ...base, t: 'group', body, subshell: true });
    }
    return this.simple(base, stop);
  }

  private simple(base: Base, stop: (t: LineToken) => boolean): Node | null {
    const tokens: LineToken[] = [];
    for (;;) {
      const t = this.peek();
      // A pipe stays in the command: `python bot.py 2>&1 | tee -a bot.log` logs to bot.log.
      if (!t || (t.op && ['\n', ';', '&', '&&', '||', ')', ';;', ';&', ';;&'].includes(t.text)) || (tokens.length === 0 && stop(t))) break;
      tokens.push(t);
      this.i++;
    }
    return tokens.length > 0 ? { ...base, t: 'cmd', tokens } : null;
  }
}

/** The script as a list of nodes, in order. */
export type { LineToken, Node };

export function parseShell(text: string): Node[] {
  return new Parser(streamOf(text)).list(() => false);
}
