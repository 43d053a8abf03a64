import type { ProcessInfo } from '../../pm2/types.js';
import type { Stack } from '../../stack/types.js';

// Which files hold a service's output. The stack says where they should be;
// pm2 says where the running process actually writes. When they differ the
// live path wins (that is where new lines go) and the operator is told why.

export type Stream = 'out' | 'err';

export interface LogFile {
  readonly service: string;
  readonly stream: Stream;
  readonly path: string;
}

export interface LogFiles {
  readonly files: readonly LogFile[];
  readonly warnings: readonly string[];
}

/** `live` is pm2's list, or null when no daemon answers. */
export function logFiles(stack: Stack, services: readonly string[], live: readonly ProcessInfo[] | null): LogFiles {
  const files: LogFile[] = [];
  const warnings: string[] = [];
  for (const s of stack.services.filter((x) => services.length === 0 || services.includes(x.name))) {
    const p = live?.find((x) => x.name === s.name);
    for (const [stream, declared, actual] of [['out', s.outFile, p?.outFile], ['err', s.errFile, p?.errFile]] as const) {
      if (actual && actual !== declared) {
        warnings.push(`${s.name}: pm2 writes its ${stream} log to ${actual}, the stack says ${declared}; run botstack restart ${s.name} to apply the stack's path`);
      }
      files.push({ service: s.name, stream, path: actual || declared });
    }
  }
  return { files, warnings };
}

/** The service names that are not in the stack, for a usage error. */
export function unknownServices(stack: Stack, names: readonly string[]): string[] {
  const known = new Set(stack.services.map((s) => s.name));
  return names.filter((n) => !known.has(n));
}
