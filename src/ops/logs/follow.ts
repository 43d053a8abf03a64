import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { sleep } from '../../util/timeout.js';
import type { LogFile } from './files.js';

// `tail -F` for several files: polls sizes, prints whole new lines, starts
// over when a file shrinks (copy-truncate rotation) or is a new file under the
// same name (rename rotation, what botstack's logrotate file does), and waits
// for files that do not exist yet. Ends, without error, when the signal aborts.

export interface FollowOptions {
  readonly signal: AbortSignal;
  readonly intervalMs?: number;
  readonly onLine: (file: LogFile, text: string) => void;
}

interface Cursor {
  offset: number;
  /** The inode read from: a new one under the same path is a rotated-in file. */
  ino: number;
  partial: string;
  // Keeps a UTF-8 character split across two reads whole.
  decoder: StringDecoder;
}

export async function followFiles(files: readonly LogFile[], opts: FollowOptions): Promise<void> {
  const cursors = new Map<LogFile, Cursor>();
  for (const f of files) {
    const s = await statOf(f.path);
    cursors.set(f, { offset: s.size, ino: s.ino, partial: '', decoder: new StringDecoder('utf8') });
  }
  while (!opts.signal.aborted) {
    for (const f of files) await readNew(f, cursors.get(f)!, opts.onLine);
    try {
      await sleep(opts.intervalMs ?? 200, opts.signal);
    } catch {
      return;
    }
  }
}

async function readNew(f: LogFile, c: Cursor, onLine: FollowOptions['onLine']): Promise<void> {
  const { size, ino } = await statOf(f.path);
  // A file that shrank was truncated; a file with another inode was rotated in
  // and may already be longer than the old offset: either way, read from its start.
  if (size < c.offset || (ino !== c.ino && ino !== 0)) {
    c.ino = ino;
    c.offset = 0;
    c.partial = '';
    c.decoder = new StringDecoder('utf8');
  }
  if (size === c.offset) return;
  const fh = await open(f.path, 'r');
  try {
    // Bounded reads: a burst of output is drained over a few polls, not in one huge buffer.
    const buf = Buffer.alloc(Math.min(size - c.offset, 1024 * 1024));
    const { bytesRead } = await fh.read(buf, 0, buf.length, c.offset);
    c.offset += bytesRead;
    const parts = (c.partial + c.decoder.write(buf.subarray(0, bytesRead))).split('\n');
    c.partial = parts.pop() ?? '';
    for (const text of parts) onLine(f, text);
  } finally {
    await fh.close();
  }
}

async function statOf(path: string): Promise<{ size: number; ino: number }> {
  try {
    const s = await stat(path);
    return { size: s.size, ino: s.ino };
  } catch {
    return { size: 0, ino: 0 };
  }
}
