// What a stack file's `alerts` block may say, shared by the stack schema that
// validates it (schema-alerts.ts) and the alerts that read it (src/alerts/config.ts):
// the variables the secrets come in, and the disk threshold's grammar. No imports:
// the monitor loads this with alerts off.

export const ALERT_ENV = {
  token: 'BOTSTACK_ALERT_TELEGRAM_TOKEN',
  chat: 'BOTSTACK_ALERT_TELEGRAM_CHAT',
  api: 'BOTSTACK_ALERT_TELEGRAM_API',
  webhook: 'BOTSTACK_ALERT_WEBHOOK',
  webhookSecret: 'BOTSTACK_ALERT_WEBHOOK_SECRET',
  diskMinFree: 'BOTSTACK_ALERT_DISK_MIN_FREE',
} as const;

/** The stack file's non-secret alert settings (stack.alerts, resolved). */
export interface AlertFileSettings {
  readonly telegram?: { readonly chat?: string | number; readonly api?: string };
  readonly webhook?: { readonly url?: string };
  readonly disk?: { readonly minFree?: string };
}

export interface DiskThreshold {
  /** Low when free space is under this share of the filesystem (0..1), or null. */
  readonly minFreeRatio: number | null;
  /** Low when free space is under this many bytes, or null. */
  readonly minFreeBytes: number | null;
}

const PERCENT = /^(\d+(?:\.\d+)?)\s*%$/;
const SIZE = /^(\d+(?:\.\d+)?)\s*(K|M|G|T)i?B?$/i;
const UNIT: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** "10%", "1G", "10%,1G" (low when either is crossed), or "off". */
export function parseDiskThreshold(text: string): DiskThreshold | null {
  if (text.trim().toLowerCase() === 'off') return { minFreeRatio: null, minFreeBytes: null };
  let ratio: number | null = null;
  let bytes: number | null = null;
  for (const part of text.split(',').map((p) => p.trim())) {
    const pct = PERCENT.exec(part);
    const size = SIZE.exec(part);
    if (pct && ratio === null && Number(pct[1]) <= 100) ratio = Number(pct[1]) / 100;
    else if (size && bytes === null) bytes = Math.round(Number(size[1]) * UNIT[size[2]!.toUpperCase()]!);
    else return null;
  }
  return { minFreeRatio: ratio, minFreeBytes: bytes };
}
