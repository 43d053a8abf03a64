// A small shell-word tokenizer: enough of POSIX sh quoting to read start
// scripts and pm2 `args` strings. It does not run anything or expand globs.

export interface Token {
  readonly text: string;
  /** An operator (`&`, `&&`, `;`, `|`, `||`) or a redirection (`>`, `2>&1`, ...). */
  readonly op: boolean;
}

// Longest first, so `2>&1` wins over `2>` and `&&` over `&`.
const OPERATORS = ['2>&1', '1>&2', '>&2', '&>>', '2>>', '1>>', '&&', '||', '>>', '&>', '2>', '1>', '>', '<', '&', ';', '|'];

function operatorAt(line: string, i: number, atWordStart: boolean): string | undefined {
  // A digit is a redirection only at the start of a word: `a2>b` is not `2>`.
  return OPERATORS.find((op) => line.startsWith(op, i) && (atWordStart || !/^\d/.test(op)));
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
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      const stop = end < 0 ? line.length : end;
      word += line.slice(i + 1, stop);
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
