import { compileService } from '../../stack/compile.js';
import { unheld } from '../../stack/launch-held.js';
import type { Stack } from '../../stack/types.js';
import type { App, DatabaseKind } from '../types.js';
import { appFromPm2 } from './from-pm2.js';

// A botstack stack is judged by what it compiles to, the exact pm2 apps it hands
// pm2, so the rules see what would run rather than what the author meant. The
// resolved service adds what a pm2 app cannot say: its kind, host and port.
// A uvicorn service is judged by its own command line, not botstack's socket
// holder in front of it (stack/launch-held.ts): that is what the rules are about.

const KIND_DATABASE: Readonly<Partial<Record<string, DatabaseKind>>> = { mongod: 'mongod' };

/** `lines` holds each service's line in the stack file, when the source is known. */
export function appsFromStack(stack: Stack, lines: readonly (number | null)[] = []): App[] {
  return stack.services.map((s) => {
    const line = lines[s.index] ?? null;
    const compiled = appFromPm2(compileService(stack, { ...s, launch: unheld(s.launch) }), s.index, line);
    return {
      ...compiled,
      format: 'botstack',
      ref: `services.${s.index}`,
      index: s.index,
      // compile always emits watch: false; the author's `watch: true` is what to report.
      watch: s.watch,
      host: s.host,
      port: s.port,
      database: KIND_DATABASE[s.kind] ?? compiled.database,
      inVenv: compiled.inVenv || (s.venv !== null && compiled.interpreter?.startsWith(s.venv) === true),
    };
  });
}
