// Flags and tools that restart a process when files change. On a server that
// pulls from git, each of them turns a deploy into an outage.

export interface DevFlag {
  readonly index: number;
  readonly flag: string;
}

const FLAG_PATTERNS: readonly RegExp[] = [
  /^--reload(?:=.*)?$/,
  /^--reload-dir(?:=.*)?$/,
  /^--watch(?:=.*)?$/,
  /^--debug$/, // flask --debug, which turns the reloader on
  /^--use-reloader$/,
  /^--autoreload$/,
];
const TOOLS = new Set(['nodemon', 'ts-node-dev', 'node-dev', 'watchmedo', 'hupper', 'air']);

/** The first development-only flag or watcher tool in a command line, or null. */
export function findDevFlag(argv: readonly string[]): DevFlag | null {
  for (const [index, raw] of argv.entries()) {
    const arg = raw.trim();
    const base = arg.split('/').pop() ?? arg;
    if (TOOLS.has(base)) return { index, flag: base };
    if (FLAG_PATTERNS.some((p) => p.test(arg))) {
      // `--debug` means the reloader only for flask.
      if (arg === '--debug' && !argv.slice(0, index).some((a) => /(^|\/)flask$/.test(a))) continue;
      return { index, flag: arg.split('=')[0] ?? arg };
    }
  }
  return null;
}
