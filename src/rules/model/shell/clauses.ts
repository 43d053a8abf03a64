import { TokenCursor } from './cursor.js';
import type { Base, LineToken, Node } from './nodes.js';

// The compound commands of bash's grammar: if/elif/else, while/until and for
// loops, case arms and function bodies. Each reads its keywords here and leaves
// the commands inside to the list parser (syntax.ts), which extends this class.

export abstract class Clauses extends TokenCursor {
  /** Commands until `stop` says so at a command's start (the stop token is left in place). */
  abstract list(stop: (t: LineToken) => boolean): Node[];
  protected abstract command(stop: (t: LineToken) => boolean): Node | null;

  protected funcBody(base: Base, name: string): Node {
    this.skipNewlines();
    const body = this.peek() ? this.command(() => false) : null;
    return { ...base, t: 'func', name, body: body ? [body] : [] };
  }

  protected ifClause(base: Base): Node {
    const bodies: Node[][] = [];
    let hasElse = false;
    this.i++; // if
    for (;;) {
      this.list((x) => !x.op && x.text === 'then'); // the condition runs, but starts nothing we model
      this.expectWord('then');
      bodies.push(this.list((x) => !x.op && ['elif', 'else', 'fi'].includes(x.text)));
      if (this.isWord('elif')) {
        this.i++;
        continue;
      }
      if (this.isWord('else')) {
        this.i++;
        hasElse = true;
        bodies.push(this.list((x) => !x.op && x.text === 'fi'));
      }
      this.expectWord('fi');
      return { ...base, t: 'if', bodies, hasElse };
    }
  }

  protected loop(base: Base, keyword: string): Node {
    this.i++;
    const condStart = this.i;
    const condNodes = this.list((x) => !x.op && x.text === 'do');
    const cond = this.toks.slice(condStart, this.i).filter((x) => !x.op).map((x) => x.text).join(' ');
    const forever = keyword === 'while' ? /^(true|:|\[ 1 \]|\[\[ 1 \]\]|\(\(1\)\)|\[ 1 -eq 1 \])$/.test(cond) : cond === 'false';
    this.expectWord('do');
    const body = this.list((x) => !x.op && x.text === 'done');
    this.expectWord('done');
    // `until python bot.py; do sleep 5; done` reruns the program until it exits 0: a restart loop around it.
    const rerun = keyword === 'until' && !forever ? condNodes : [];
    return { ...base, t: 'loop', forever: forever || rerun.length > 0, body: [...rerun, ...body] };
  }

  protected forLoop(base: Base): Node {
    this.i++;
    while (this.peek() && !this.isWord('do')) this.i++;
    this.i++;
    const body = this.list((x) => !x.op && x.text === 'done');
    this.expectWord('done');
    return { ...base, t: 'loop', forever: false, body };
  }

  protected caseClause(base: Base): Node {
    this.i++;
    while (this.peek() && !this.isWord('in')) this.i++;
    this.i++;
    const bodies: Node[][] = [];
    const patterns: string[][] = [];
    for (;;) {
      this.skipNewlines();
      if (!this.peek() || this.isWord('esac')) break;
      if (this.isOp('(')) this.i++;
      const pattern: string[] = [];
      for (; this.peek() && !this.isOp(')') && !this.isWord('esac'); this.i++) if (!this.peek()?.op) pattern.push(this.peek()?.text ?? '');
      patterns.push(pattern);
      if (this.isOp(')')) this.i++;
      bodies.push(this.list((x) => (x.op && [';;', ';&', ';;&'].includes(x.text)) || (!x.op && x.text === 'esac')));
      if (this.peek()?.op) this.i++;
    }
    this.i++; // esac
    return { ...base, t: 'case', bodies, patterns };
  }
}
