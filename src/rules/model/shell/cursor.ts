import type { LineToken } from './nodes.js';

// A position in a script's token stream, and the few looks the parser takes at
// it (syntax.ts, clauses.ts): a word or an operator here, newlines skipped.

export class TokenCursor {
  protected i = 0;
  constructor(protected readonly toks: readonly LineToken[]) {}

  protected peek(k = 0): LineToken | undefined {
    return this.toks[this.i + k];
  }
  protected isWord(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t !== undefined && !t.op && t.text === text;
  }
  protected isOp(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t !== undefined && t.op && t.text === text;
  }
  protected skipNewlines(): void {
    while (this.peek() && (this.isOp('\n') || this.isOp(';'))) this.i++;
  }
  protected expectWord(text: string): void {
    this.skipNewlines();
    if (this.isWord(text)) this.i++;
  }
}
