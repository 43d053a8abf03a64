import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';

// The rolling-restart client: one line to a service's socket holder
// (runtime/sockhold.py) over its private control socket, one line back.
// docs/zero-downtime.md says why the socket is held and how a roll runs.

/** Why a roll happens; recorded by the holder and counted by cause. */
export type RollCause = 'deploy' | 'restart' | 'heal' | 'rollback';

export type RollResult =
  | { readonly ok: true; readonly pid: number; readonly readyMs: number }
  | { readonly ok: false; readonly reason: string; readonly unreachable?: true };

export interface HolderState {
  readonly pid: number;
  readonly child: number;
  readonly port: number;
  readonly rolling: boolean;
  readonly rolls: number;
  readonly last: readonly { readonly at: number; readonly cause: string; readonly ok: boolean; readonly ms: number; readonly pid: number; readonly reason?: string }[];
}

/** The holder's control folder for a service: private (0700), under the stack's state. */
export const controlDir = (stateDir: string, service: string): string => join(stateDir, 'sockhold', service);
export const controlSocket = (dir: string): string => join(dir, 'control.sock');

/** One request, one answer line; never throws. */
export function ask(dir: string, line: string, timeoutMs: number): Promise<{ ok: true; answer: string } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    let buf = '';
    const sock = createConnection(controlSocket(dir));
    const timer = setTimeout(() => finish({ ok: false, reason: `the socket holder did not answer within ${timeoutMs} ms` }), timeoutMs);
    const finish = (r: { ok: true; answer: string } | { ok: false; reason: string }) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.write(line + '\n'));
    sock.on('data', (c: string) => {
      buf += c;
      const nl = buf.indexOf('\n');
      if (nl >= 0) finish({ ok: true, answer: buf.slice(0, nl) });
    });
    sock.on('error', (e: NodeJS.ErrnoException) => finish({ ok: false, reason: `cannot reach the socket holder at ${controlSocket(dir)}: ${e.code ?? e.message}` }));
    sock.on('close', () => finish({ ok: false, reason: 'the socket holder closed the connection without an answer' }));
  });
}

/**
 * Start a new process beside the old on the held socket, health-gated; stop the
 * old one once the new is ready (SIGKILL at once with `killOld`, for a hung one).
 * `timeoutMs` must cover the new process's start and the old one's stop timeout; `readyWithinMs`
 * overrides how long the holder waits for the new process (its default: the start grace plus the gate).
 */
export async function roll(dir: string, cause: RollCause, opts: { timeoutMs: number; killOld?: boolean; readyWithinMs?: number }): Promise<RollResult> {
  const within = opts.readyWithinMs !== undefined ? ` within=${(opts.readyWithinMs / 1000).toFixed(1)}` : '';
  const r = await ask(dir, `roll ${cause}${opts.killOld ? ' kill-old' : ''}${within}`, opts.timeoutMs);
  if (!r.ok) return { ok: false, reason: r.reason, unreachable: true };
  const [word, ...rest] = r.answer.split(' ');
  if (word === 'ok') return { ok: true, pid: Number(rest[0]), readyMs: Number(rest[1]) };
  return { ok: false, reason: rest.join(' ') || 'the new process failed' };
}

/** The holder's last saved state (state.json), or null when it has none. */
export function readHolderState(dir: string): HolderState | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as HolderState;
  } catch {
    return null;
  }
}
