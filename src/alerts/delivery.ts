import type { Redact } from '../util/redact.js';
import { emptyJournal, type AlertJournal, type JournalState } from './journal.js';
import { formatDigest, type Origin } from './message.js';
import { Batcher, DEFAULT_RATE, type RatePolicy } from './policy.js';
import { DEFAULT_SENDER, Sender, type SenderOptions } from './sender.js';
import { telegramChannel } from './telegram.js';
import { realTimers, type AlertTimers } from './timers.js';
import type { AlertConfig, AlertEvent, Channel } from './types.js';
import { webhookChannel } from './webhook.js';

// Events in, messages out on every configured channel: one rate limit for all
// (a digest reads the same everywhere), then a queue and retry loop per
// channel, so a Telegram outage never holds back the webhook or the reverse.
// Every event is redacted on the way in (util/redact.ts), so neither the text
// nor the webhook's events nor the journal on disk ever hold a secret.

export function channelsFor(config: AlertConfig): Channel[] {
  const origin: Origin = { stack: config.stack, host: config.host };
  return [...(config.telegram ? [telegramChannel(config.telegram)] : []), ...(config.webhook ? [webhookChannel(config.webhook, origin)] : [])];
}

export interface DeliveryOptions {
  readonly timers?: AlertTimers;
  readonly rate?: RatePolicy;
  readonly sender?: SenderOptions;
  readonly channels?: readonly Channel[];
  readonly redact?: Redact;
  /** Where undelivered alerts wait across a monitor restart; without one, in memory only. */
  readonly journal?: AlertJournal;
}

/** How long a stop keeps delivering: the monitor's kill_timeout is 5 s, and the rest of its stop needs some. */
export const STOP_FLUSH_MS = 3000;

export class Delivery {
  private readonly batcher: Batcher;
  private readonly redact: Redact;
  readonly senders: readonly Sender[];
  /** The part of the journal that is not delivery's (the watch's incidents), merged into every save. */
  private extra: Pick<JournalState, 'incidents' | 'patterns'> = { incidents: [], patterns: [] };

  constructor(config: AlertConfig, log: (line: string) => void, private readonly o: DeliveryOptions = {}) {
    const timers = o.timers ?? realTimers;
    const origin: Origin = { stack: config.stack, host: config.host };
    this.redact = o.redact ?? ((t) => t);
    this.senders = (o.channels ?? channelsFor(config)).map((c) => new Sender(c, (events, dropped) => formatDigest(events, origin, dropped), timers, log, o.sender ?? DEFAULT_SENDER));
    this.batcher = new Batcher(o.rate ?? DEFAULT_RATE, timers, (events) => {
      for (const s of this.senders) s.enqueue(events);
      this.save();
    });
    for (const s of this.senders) s.changed = () => this.save();
  }

  /** What a previous run left: its queues ahead of anything new, its held events into the rate limit. */
  restore(state: JournalState): void {
    for (const s of this.senders) s.restore(state.queues[s.name] ?? []);
    this.batcher.push(state.pending);
    this.save();
  }

  /**
   * Events to send, and the watch's incidents as they are with these events
   * announced: both saved in one write, so a crash can neither lose an event
   * whose incident counts as announced nor announce an incident twice.
   */
  push(events: readonly AlertEvent[], incidents?: Pick<JournalState, 'incidents' | 'patterns'>): void {
    if (incidents) this.extra = incidents;
    if (events.length > 0) this.batcher.push(events.map((e) => ({ ...e, detail: this.redact(e.detail), next: this.redact(e.next) })));
    if (incidents || events.length > 0) this.save();
  }

  /** Stops at once; whatever was not delivered stays in the journal for the next start. */
  stop(): void {
    this.flushHeld();
    for (const s of this.senders) s.stop();
  }

  /** Hands what the rate limit holds to the channels, then delivers for at most `ms` before stopping. */
  async drain(ms = STOP_FLUSH_MS): Promise<void> {
    this.flushHeld();
    await Promise.all(this.senders.map((s) => s.drain(ms)));
  }

  private flushHeld(): void {
    const held = this.batcher.stop();
    if (held.length > 0) for (const s of this.senders) s.enqueue(held);
    this.save();
  }

  private save(): void {
    if (!this.o.journal) return;
    const queues: Record<string, ReturnType<Sender['snapshot']>> = {};
    for (const s of this.senders) queues[s.name] = s.snapshot();
    this.o.journal.save({ ...emptyJournal(), ...this.extra, pending: this.batcher.held(), queues });
  }
}
