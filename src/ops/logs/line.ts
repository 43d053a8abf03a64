// One log line as pm2 writes it with log_date_format 'YYYY-MM-DDTHH:mm:ss.SSSZ':
// "2024-05-01T11:58:56.123+00:00: <text>". Lines without the prefix (a second
// line of one write in cluster mode, or a file written by something else) keep
// a null time and inherit their neighbour's place.

const STAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,3})?)(Z|[+-]\d\d:?\d\d)?: /;

export interface LogLine {
  /** ms epoch from the pm2 prefix, or null when the line has none. */
  readonly time: number | null;
  /** The line as written, prefix included. */
  readonly text: string;
}

export function lineTime(text: string): number | null {
  const m = STAMP.exec(text);
  if (!m) return null;
  const zone = m[2] === undefined ? '' : m[2] === 'Z' ? 'Z' : m[2].includes(':') ? m[2] : `${m[2].slice(0, 3)}:${m[2].slice(3)}`;
  const t = Date.parse(`${m[1]}${zone}`);
  return Number.isNaN(t) ? null : t;
}

export const toLine = (text: string): LogLine => ({ time: lineTime(text), text });

export type ErrorKind = 'traceback' | 'signal' | 'exception' | 'error';
export const ERROR_KINDS: readonly ErrorKind[] = ['traceback', 'signal', 'exception', 'error'];

// Order matters: a line counts once, under the first kind that matches.
const PATTERNS: readonly (readonly [ErrorKind, RegExp])[] = [
  ['traceback', /Traceback \(most recent call last\)/],
  ['signal', /\bSIG(?:TERM|KILL)\b/],
  ['exception', /\b[A-Z]\w*(?:Exception|Error)\b|\b[Ee]xception\b/],
  ['error', /\b(?:error|critical|fatal|panic)\b/i],
];

/** Which kind of trouble a line reports, or null for an ordinary line. */
export function classify(text: string): ErrorKind | null {
  for (const [kind, re] of PATTERNS) if (re.test(text)) return kind;
  return null;
}
