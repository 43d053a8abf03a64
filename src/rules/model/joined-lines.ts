// Dockerfiles and systemd units both continue a line with a trailing backslash,
// and both report a finding at the line where the joined line starts. They
// differ on comments: Docker drops a comment line even in the middle of a
// continuation; systemd joins every line and lets its reader judge the whole.

export interface JoinedLine {
  /** 1-based line where it starts. */
  readonly line: number;
  readonly text: string;
}

export interface JoinOptions {
  /** Raw lines to drop before joining, even inside a continuation (a Dockerfile's `#`). */
  readonly drop?: RegExp;
}

const CONTINUED = /\\\s*$/;

/** The file's logical lines; one still continued at the end of the file is left out, as both readers did. */
export function joinedLines(text: string, { drop }: JoinOptions = {}): JoinedLine[] {
  const out: JoinedLine[] = [];
  let pending: { line: number; text: string } | null = null;
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    if (drop?.test(raw)) continue;
    const cur: { line: number; text: string } = pending ?? { line: i + 1, text: '' };
    pending = CONTINUED.test(raw) ? cur : null;
    cur.text += pending ? raw.replace(CONTINUED, ' ') : raw;
    if (!pending) out.push(cur);
  }
  return out;
}
