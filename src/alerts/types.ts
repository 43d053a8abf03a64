import type { DiskThreshold } from '../stack/alert-settings.js';
// What the alerting code passes around: events (what happened), the resolved
// configuration (where to send), and a channel's answer (what became of it).

export const ALERT_KINDS = [
  'unhealthy',
  'recovered',
  'given-up',
  'crash-looping',
  'memory-restart',
  'periodic-restart',
  'low-disk',
  'disk-ok',
  'monitor-restarted',
  'deploy',
  'test',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface AlertEvent {
  readonly kind: AlertKind;
  /** The service, or null for host-wide events (disk, deploy, test). */
  readonly service: string | null;
  /** The service's health state when it fired (or a word for host events: "low", "ok", "failed"). */
  readonly state: string;
  /** One line: the last error, or what was seen. */
  readonly detail: string;
  /** The command to run next. */
  readonly next: string;
  /** Wall-clock ms, for display only. */
  readonly at: number;
}

export interface TelegramSettings {
  readonly token: string;
  readonly chat: string;
  readonly api: string;
  /** Where the token came from, for `alert test` (never the value). */
  readonly tokenFrom: 'environment' | '.env';
}

export interface WebhookSettings {
  readonly url: string;
  readonly secret: string | null;
}

// The stack schema validates the threshold too: its shape lives below both (stack/alert-settings.ts).
export type { DiskThreshold };

export interface AlertConfig {
  readonly stack: string;
  readonly host: string;
  readonly telegram: TelegramSettings | null;
  readonly webhook: WebhookSettings | null;
  readonly disk: DiskThreshold;
}

/** A message ready for the channels: text for people, events for machines. */
export interface OutMessage {
  readonly text: string;
  readonly events: readonly AlertEvent[];
  /** Alerts dropped by a full queue before this one (said in the text as well). */
  readonly dropped: number;
}

/** One delivery attempt's outcome. `retry` carries a server-given wait (Telegram's retry_after). */
export type SendOutcome =
  | { readonly type: 'sent' }
  | { readonly type: 'retry'; readonly error: string; readonly afterMs?: number }
  | { readonly type: 'fail'; readonly error: string };

export interface Channel {
  readonly name: 'telegram' | 'webhook';
  send(msg: OutMessage, signal: AbortSignal): Promise<SendOutcome>;
}
