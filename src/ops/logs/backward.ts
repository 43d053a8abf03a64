import { open } from 'node:fs/promises';

// Reads a file from its end, one line at a time, in fixed-size chunks, so the
// last lines of a 1 GB log cost a few reads and a few KB, never the whole file.

export interface BackwardLine {
  readonly text: string;
  /** Byte offset of the line's first byte. */
  readonly offset: number;
}

export interface BackwardOptions {
  readonly chunkBytes?: number;
  /** A line longer than this is cut to its last maxLineBytes (memory stays bounded). */
  readonly maxLineBytes?: number;
}

export async function* linesBackward(file: string, opts: BackwardOptions = {}): AsyncGenerator<BackwardLine> {
  const chunkBytes = opts.chunkBytes ?? 64 * 1024;
  const maxLine = opts.maxLineBytes ?? 1024 * 1024;
  const fh = await open(file, 'r');
  try {
    let pos = (await fh.stat()).size;
    let carry = Buffer.alloc(0);
    let first = true;
    while (pos > 0) {
      const start = Math.max(0, pos - chunkBytes);
      const chunk = Buffer.alloc(pos - start);
      await fh.read(chunk, 0, chunk.length, start);
      pos = start;
      let buf = carry.length > 0 ? Buffer.concat([chunk, carry]) : chunk;
      // A final newline ends the last line; it does not start an empty one.
      if (first && buf.length > 0 && buf[buf.length - 1] === 0x0a) {
        buf = buf.subarray(0, buf.length - 1);
      }
      first = false;
      let end = buf.length;
      for (let i = buf.length - 1; i >= 0; i--) {
        if (buf[i] !== 0x0a) continue;
        yield { text: buf.toString('utf8', i + 1, end), offset: start + i + 1 };
        end = i;
      }
      carry = end > maxLine ? buf.subarray(end - maxLine, end) : Buffer.from(buf.subarray(0, end));
    }
    if (carry.length > 0) yield { text: carry.toString('utf8'), offset: 0 };
  } finally {
    await fh.close();
  }
}
