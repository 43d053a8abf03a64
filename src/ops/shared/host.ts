import { existsSync, statfsSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';
import { dirname } from 'node:path';

// Host figures the incident checked with `free -h && df -h`.

export interface HostFigures {
  readonly memFreeBytes: number;
  readonly memTotalBytes: number;
  readonly logDir: string;
  readonly diskFreeBytes: number | null;
}

/** Free bytes on the filesystem holding `dir` (or its nearest existing parent), or null. */
export function diskFree(dir: string): number | null {
  let d = dir;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  try {
    const s = statfsSync(d);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

export function hostFigures(logDir: string): HostFigures {
  return { memFreeBytes: freemem(), memTotalBytes: totalmem(), logDir, diskFreeBytes: diskFree(logDir) };
}
