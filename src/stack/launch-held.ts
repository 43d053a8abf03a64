import { basename } from 'node:path';
import { runtimePaths } from '../util/package-root.js';
import { controlDir } from './rolling.js';
import type { Launch, Service, Stack } from './types.js';

// A uvicorn service runs under botstack's socket holder (runtime/sockhold.py):
// pm2 runs the holder, the holder binds the port once and runs uvicorn as its
// child on that socket, so a restart, a deploy or a heal can start the new
// uvicorn beside the old one and lose no request (docs/zero-downtime.md).
// The service's own command line is unchanged; it moves behind `--`.
//
// Not held: --reload (development; its reloader already holds the socket),
// --workers > 1 (uvicorn's own supervisor runs the workers), --uds/--fd (the
// service brings its own socket), and any stack run with BOTSTACK_SOCKHOLD=0.

export const HOLDER_SCRIPT = 'sockhold.py';

/** Whether a uvicorn command line (its arguments after the script) runs under the holder. */
export function wantsHolder(kind: string, args: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): boolean {
  if (kind !== 'uvicorn' || env.BOTSTACK_SOCKHOLD === '0') return false;
  const value = (flag: string) => {
    const i = args.findIndex((a) => a === flag || a.startsWith(flag + '='));
    if (i < 0) return undefined;
    return args[i]!.includes('=') ? args[i]!.split('=')[1] : (args[i + 1] ?? '');
  };
  if (args.includes('--reload') || value('--uds') !== undefined || value('--fd') !== undefined) return false;
  return Number(value('--workers') ?? '1') <= 1;
}

/** `base` (the uvicorn launch, direct or through envexec.py) run through the holder. */
export function heldLaunch(base: Launch): Launch {
  const holder = runtimePaths.sockhold();
  if (basename(base.script) === 'envexec.py') {
    // envexec.py ENV_FILE PROGRAM ARGS: the holder becomes the program, so the secrets reach it (and uvicorn) as before.
    const [envFile, program, ...args] = base.args;
    return { ...base, args: [envFile!, holder, '--', program!, ...args] };
  }
  return { ...base, script: holder, args: ['--', base.script, ...base.args] };
}

/** The launch as it would be without the holder (envexec.py kept where it is): what the service itself runs. */
export function unheld(l: Launch): Launch {
  // [--, uvicorn, ...args] directly, or [envFile, holder, --, uvicorn, ...args] through envexec.py.
  if (basename(l.script) === HOLDER_SCRIPT) return { ...l, script: l.args[1] ?? l.script, args: l.args.slice(2) };
  const i = l.args.findIndex((a) => basename(a) === HOLDER_SCRIPT);
  return i < 0 ? l : { ...l, args: [...l.args.slice(0, i), ...l.args.slice(i + 2)] };
}

/** Whether pm2 runs `s` through the holder. */
export function isHeld(s: Pick<Service, 'launch'>): boolean {
  return basename(s.launch.script) === HOLDER_SCRIPT || s.launch.args.some((a) => basename(a) === HOLDER_SCRIPT);
}

/** How long the new uvicorn may answer its health path with anything but 2xx before the roll gives up. */
export const gateTimeoutMs = (s: Service): number => Math.min(s.health.type === 'none' ? 10_000 : s.health.startGraceMs, 10_000);

/** The holder's settings, as environment pm2 gives it (compile.ts). */
export function holderEnv(stack: Stack, s: Service): Record<string, string> {
  return {
    BOTSTACK_SOCKHOLD_DIR: controlDir(stack.logDir, s.name),
    BOTSTACK_STOP_TIMEOUT_MS: String(s.stopTimeoutMs),
    BOTSTACK_GATE_TIMEOUT_MS: String(gateTimeoutMs(s)),
    BOTSTACK_START_TIMEOUT_MS: String((s.health.type === 'none' ? 30_000 : s.health.startGraceMs) + gateTimeoutMs(s)),
    ...(s.health.type === 'http' ? { BOTSTACK_GATE_STATUS: String(s.health.expectStatus) } : {}),
  };
}
