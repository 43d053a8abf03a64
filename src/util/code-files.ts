import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// A bounded walk of a service's folder for the code files a reader wants
// (init's env keys and health routes, check's webhook and dotenv rules): never
// into venvs, dependencies, VCS or hidden folders, and never far or for long.

export interface CodeWalk {
  /** Which names to collect. */
  readonly want: (name: string) => boolean;
  /** Folders not to enter, besides hidden ones. */
  readonly skip: RegExp;
  /** How many folders down from the first (0: the folder itself only). */
  readonly maxDepth: number;
  /** Stop once this many are collected. */
  readonly max: number;
}

export function codeFiles(dir: string, walk: CodeWalk, depth = 0, out: string[] = []): string[] {
  if (depth > walk.maxDepth || out.length >= walk.max) return out;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    const p = join(dir, n);
    if (walk.want(n)) out.push(p);
    else if (!walk.skip.test(n) && !n.startsWith('.')) {
      try {
        if (statSync(p).isDirectory()) codeFiles(p, walk, depth + 1, out);
      } catch {
        /* a dangling link: nothing to read */
      }
    }
  }
  return out;
}
