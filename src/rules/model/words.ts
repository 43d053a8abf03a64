// A small shell-word tokenizer: enough of POSIX sh quoting to read start
// scripts and pm2 `args` strings. It does not run anything or expand globs.

export interface Token {
  readonly text: string;
  /** An operator (`&`, `&&`, `;`, `|`, `||`, `(`, `)`, `;;`) or a redirection (`>`, `2>&1`, ...). */
  readonly op: boolean;
}

// Longest first, so `2>&1` wins over `2>` and `&&` over `&`.
const OPERATORS = ['2>&1', '1>&2', '>&2', '&>>', '2>>', '1>>', ';;&', '<<<', '<<-', '&&', '||', ';;', ';&', '|&', '>>', '&>', '2>', '1>', '<<', '>', '<', '&', ';', '|', '(', ')'];

function operatorAt(line: string, i: number, atWordStart: boolean): string | undefined {
  // A digit is a redirection only at the start of a word: `a2>b` is not `2>`.
  return OPERATORS.find((op) => line.startsWith(op, i) && (atWordStart || !/^\d/.test(op)));
}

/**
 * Index just past the `)` closing a `$(` or `$((` that opens at `i` (the `$`), or
 * `unclosed` when none does. Single-quoted text is skipped; double-quoted text
 * too unless `countInDoubleQuotes`, for readers that need the `$(…)` nested in
 * `"$(cd "$(dirname "$0")" && pwd)"`.
 */
export function substitutionEnd(line: string, i: number, opts: { countInDoubleQuotes?: boolean; unclosed?: number } = {}): number {
  let depth = 0;
  for (let j = i + 1; j < line.length; j++) {
    const c = line[j];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
    else if (c === "'" || (c === '"' && !opts.countInDoubleQuotes)) {
      const end = line.indexOf(c, j + 1);
      if (end > 0) j = end;
    }
  }
  return opts.unclosed ?? line.length;
}

/** The text of a double-quoted string starting at `i` (the quote) and the index of its end quote. */
function doubleQuoted(line: string, i: number): { text: string; end: number } {
  let text = '';
  for (let j = i + 1; j < line.length; j++) {
    const c = line[j] ?? '';
    if (c === '"') return { text, end: j };
    if (c === '\\' && /["\\$`]/.test(line[j + 1] ?? '')) text += line[++j] ?? '';
    else if (c === '$' && line[j + 1] === '(') {
      const end = substitutionEnd(line, j);
      text += line.slice(j, end);
      j = end - 1;
    } else text += c;
  }
  return { text, end: line.length };
}

/** Tokens of one logical line; a `#` at a word start ends it. */
export function tokenize(line: string): Token[] {
  const out: Token[] = [];
  let word = '';
  let inWord = false;
  const flush = (): void => {
    if (inWord) out.push({ text: word, op: false });
    word = '';
    inWord = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (c === "'") {
      const end = line.indexOf(c, i + 1);
      const stop = end < 0 ? line.length : end;
      word += line.slice(i + 1, stop);
      inWord = true;
      i = stop;
    } else if (c === '"') {
      const q = doubleQuoted(line, i);
      word += q.text;
      inWord = true;
      i = q.end;
    } else if ((c === '$' || c === '<' || c === '>') && line[i + 1] === '(' && (c === '$' || !inWord)) {
      // $(...), and <(...) process substitution, stay one word.
      const end = substitutionEnd(line, i);
      word += line.slice(i, end);
      inWord = true;
      i = end - 1;
    } else if (c === '(' && inWord && word.endsWith('=')) {
      // An array assignment, ARR=(a b c), is one word.
      const end = substitutionEnd(line, i - 1);
      word += line.slice(i, end);
      i = end - 1;
    } else if (c === '`') {
      const end = line.indexOf('`', i + 1);
      const stop = end < 0 ? line.length : end;
      word += line.slice(i, stop + 1);
      inWord = true;
      i = stop;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i] ?? '';
      inWord = true;
    } else if (/\s/.test(c)) {
      flush();
    } else if (c === '#' && !inWord) {
      break;
    } else {
      const op = operatorAt(line, i, !inWord);
      if (op) {
        flush();
        out.push({ text: op, op: true });
        i += op.length - 1;
      } else {
        word += c;
        inWord = true;
      }
    }
  }
  flush();
  return out;
}

/** Plain words, for pm2's `args: "app:app --port 8002"`. */
export function splitWords(text: string): string[] {
  return tokenize(text).map((t) => t.text);
}
