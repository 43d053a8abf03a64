import type { SavedMessage } from './journal.js';
import type { AlertTimers } from './timers.js';
import type { AlertEvent, Channel, OutMessage, SendOutcome } from './types.js';

// One channel's delivery: a bounded queue that rides out an outage, one message
// in flight at a time, each attempt under a timeout, retries with exponential
// backoff (or the server's own wait, Telegram's retry_after). A full queue drops
// its oldest message and counts the alerts in it; the next message that gets
// through says how many were lost. Nothing here is awaited by the monitor.
// Every change of the queue (and the start of each attempt) is reported to
// `changed`, which the journal writes to disk: an alert is on disk before its
// first attempt and leaves it only once sent (journal.ts).

export interface SenderOptions {
  readonly maxQueued: number;
  readonly timeoutMs: number;
  readonly backoffMs: number;
  readonly backoffMaxMs: number;
}

export const DEFAULT_SENDER: SenderOptions = { maxQueued: 100, timeoutMs: 10_000, backoffMs: 1000, backoffMaxMs: 5 * 60_000 };

export interface SenderStats {
  sent: number;
  failed: number;
  dropped: number;
  retries: number;
}

interface Queued {
  readonly id: string;
  readonly events: readonly AlertEvent[];
  /** Restored from a run that stopped during an attempt at it. */
  readonly repeat: boolean;
}

let nextId = 0;
const newId = (): string => `${process.pid.toString(36)}-${Date.now().toString(36)}-${(nextId++).toString(36)}`;

export const REPEAT_NOTE = '(sent again after a monitor restart interrupted its delivery: it may be a repeat)';

export class Sender {
  private readonly queue: Queued[] = [];
  private droppedSinceSent = 0;
  private running = false;
  private attempting: Queued | null = null;
  /** Called after every change worth saving; the journal's hook. */
  changed: () => void = () => undefined;
  private readonly stopping = new AbortController();
  private cancelWait: (() => void) | null = null;
  readonly stats: SenderStats = { sent: 0, failed: 0, dropped: 0, retries: 0 };

  constructor(
    private readonly channel: Channel,
    private readonly format: (events: readonly AlertEvent[], dropped: number) => OutMessage,
    private readonly timers: AlertTimers,
    private readonly log: (line: string) => void,
    private readonly opts: SenderOptions = DEFAULT_SENDER,
  ) {}

  get name(): string {
    return this.channel.name;
  }

  get queued(): number {
    return this.queue.length;
  }

  enqueue(events: readonly AlertEvent[]): void {
    if (this.stopping.signal.aborted || events.length === 0) return;
    this.add({ id: newId(), events: [...events], repeat: false });
  }

  /** Messages a previous run left undelivered, ahead of anything new. */
  restore(saved: readonly SavedMessage[]): void {
    if (this.stopping.signal.aborted || saved.length === 0) return;
    this.queue.unshift(...saved.filter((m) => Array.isArray(m.events) && m.events.length > 0).map((m) => ({ id: m.id, events: m.events, repeat: m.inflight === true })));
    this.add(null);
  }

  /** The queue as the journal saves it, head first; the head is `inflight` while an attempt at it runs. */
  snapshot(): SavedMessage[] {
    return this.queue.map((q) => ({ id: q.id, events: q.events, ...(q === this.attempting || q.repeat ? { inflight: true } : {}) }));
  }

  stop(): void {
    this.stopping.abort();
    this.cancelWait?.();
  }

  /** Keeps delivering until the queue is empty or `ms` ran out, then stops; what is left stays in the journal. */
  async drain(ms: number): Promise<void> {
    const t0 = this.timers.now();
    while (this.queue.length > 0 && this.running && this.timers.now() - t0 < ms) await new Promise<void>((r) => this.timers.after(Math.min(50, ms - (this.timers.now() - t0)), r));
    this.stop();
  }

  private add(q: Queued | null): void {
    if (q) this.queue.push(q);
    while (this.queue.length > this.opts.maxQueued) {
      const lost = this.queue.shift()!.events.length;
      this.droppedSinceSent += lost;
      this.stats.dropped += lost;
    }
    this.changed();
    if (!this.running) void this.run();
  }

  private message(q: Queued, dropped: number): OutMessage {
    const m = this.format(q.events, dropped);
    return q.repeat ? { ...m, text: `${m.text}\n${REPEAT_NOTE}` } : m;
  }

  private async run(): Promise<void> {
    this.running = true;
    let attempt = 0;
    try {
      while (this.queue.length > 0 && !this.stopping.signal.aborted) {
        const head = this.queue[0]!;
        const dropped = this.droppedSinceSent;
        const signal = AbortSignal.any([this.stopping.signal, AbortSignal.timeout(this.opts.timeoutMs)]);
        this.attempting = head;
        this.changed();
        const out: SendOutcome = await this.channel.send(this.message(head, dropped), signal).catch((err: unknown) => ({ type: 'retry', error: String(err) }));
        this.attempting = null;
        if (this.stopping.signal.aborted) {
          // Stopped mid-attempt: it may or may not have arrived; the journal keeps it, flagged.
          if (out.type === 'sent' && this.queue[0] === head) this.queue.shift();
          this.attempting = out.type === 'sent' ? null : head;
          this.changed();
          return;
        }
        if (out.type === 'retry') {
          attempt++;
          this.stats.retries++;
          const wait = out.afterMs ?? Math.min(this.opts.backoffMs * 2 ** (attempt - 1), this.opts.backoffMaxMs);
          this.log(`alerts: ${this.channel.name}: ${out.error}; retrying in ${Math.round(wait / 100) / 10} s (${this.queue.length} queued)`);
          await this.wait(wait);
          continue;
        }
        attempt = 0;
        if (this.queue[0] === head) this.queue.shift();
        this.changed();
        if (out.type === 'fail') {
          this.stats.failed++;
          this.log(`alerts: ${this.channel.name}: not delivered, not retried: ${out.error}`);
          continue;
        }
        this.stats.sent++;
        this.droppedSinceSent -= dropped;
      }
    } finally {
      this.running = false;
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const cancel = this.timers.after(ms, () => {
        this.cancelWait = null;
        resolve();
      });
      // stop() ends the wait at once, so nothing stays scheduled.
      this.cancelWait = () => {
        cancel();
        resolve();
      };
      if (this.stopping.signal.aborted) this.cancelWait();
    });
  }
}
