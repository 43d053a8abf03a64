import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The botstack package folder, whether this runs from src/ (tsx, vitest) or dist/. */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'botstack') {
      cached = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('botstack: cannot find its own package.json above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** The version in botstack's own package.json: what `botstack --version` prints. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Entry points that pm2 runs; compiled JS, so apps never pay for a TS loader. */
export const runtimePaths = {
  monitorMain: () => join(packageRoot(), 'dist', 'src', 'monitor', 'main.js'),
  envExec: () => join(packageRoot(), 'runtime', 'envexec.py'),
  /** The socket holder pm2 runs for a uvicorn service: the port outlives each uvicorn (docs/zero-downtime.md). */
  sockhold: () => join(packageRoot(), 'runtime', 'sockhold.py'),
  /** Put first on a Python service's PYTHONPATH: its sitecustomize.py line-buffers output and quiets probe access lines. */
  pythonPath: () => join(packageRoot(), 'runtime', 'python'),
  /** Preloaded into the pm2 daemon so `pm2 reloadLogs` drops no queued line (src/pm2/daemon-options.ts). */
  reopenLogs: () => join(packageRoot(), 'runtime', 'pm2-reopen-logs.cjs'),
};
