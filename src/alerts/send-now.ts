import { channelsFor } from './delivery.js';
import { loadAlertConfig, type StackLike } from './load.js';
import { formatOne } from './message.js';
import type { AlertEvent, Channel } from './types.js';
import type { Redact } from '../util/redact.js';
import { stackRedactor } from '../util/secrets.js';

// One alert sent now, from the CLI (`botstack alert test`, and deploy results):
// the same channels and messages as the monitor's, retried within a deadline
// instead of queued, with a result per channel for the caller to print.

export interface ChannelResult {
  readonly channel: Channel['name'];
  readonly delivered: boolean;
  readonly attempts: number;
  readonly error?: string;
}

export interface SendNowOptions {
  readonly deadlineMs?: number;
  readonly attemptTimeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Applied to the event's detail and next command before it is formatted (util/redact.ts). */
  readonly redact?: Redact;
}

async function sendOne(channel: Channel, event: AlertEvent, origin: { stack: string; host: string }, o: SendNowOptions): Promise<ChannelResult> {
  const t0 = performance.now();
  const deadline = o.deadlineMs ?? 30_000;
  let attempts = 0;
  let backoff = 1000;
  for (;;) {
    attempts++;
    const left = deadline - (performance.now() - t0);
    const signals = [AbortSignal.timeout(Math.max(1, Math.floor(Math.min(o.attemptTimeoutMs ?? 10_000, left))))];
    if (o.signal) signals.push(o.signal);
    const out = await channel.send(formatOne(event, origin), AbortSignal.any(signals));
    if (out.type === 'sent') return { channel: channel.name, delivered: true, attempts };
    const wait = out.type === 'retry' ? (out.afterMs ?? backoff) : Infinity;
    if (out.type === 'fail' || o.signal?.aborted || performance.now() - t0 + wait >= deadline) return { channel: channel.name, delivered: false, attempts, error: out.error };
    // Not unref'd: in the CLI this wait is all that keeps the process alive.
    await new Promise<void>((r) => {
      const t = setTimeout(r, wait);
      o.signal?.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
    });
    backoff = Math.min(backoff * 2, 8000);
  }
}

/** Every configured channel, in parallel. */
export async function sendNow(config: Parameters<typeof channelsFor>[0], event: AlertEvent, o: SendNowOptions = {}): Promise<ChannelResult[]> {
  const origin = { stack: config.stack, host: config.host };
  const clean = o.redact ? { ...event, detail: o.redact(event.detail), next: o.redact(event.next) } : event;
  return Promise.all(channelsFor(config).map((c) => sendOne(c, clean, origin, o)));
}

/** What deploy calls when it has a result (see the notes on wiring): never throws for a channel's failure. */
export async function sendDeployAlert(
  stack: StackLike & { readonly services?: readonly { readonly secrets: readonly string[] }[] },
  env: Readonly<Record<string, string | undefined>>,
  result: { readonly ok: boolean; readonly summary: string; readonly next?: string },
  o: SendNowOptions = {},
): Promise<ChannelResult[]> {
  const c = await loadAlertConfig(stack, env);
  if (!c.ok) return [];
  const event: AlertEvent = { kind: 'deploy', service: null, state: result.ok ? 'ok' : 'failed', detail: result.summary, next: result.next ?? (result.ok ? 'botstack status' : 'botstack logs --errors'), at: Date.now() };
  // A deploy's summary can quote a failing service's last lines.
  const redact = o.redact ?? (await stackRedactor({ envFile: stack.envFile, services: stack.services ?? [] }, env));
  return sendNow(c.config, event, { ...o, redact });
}
