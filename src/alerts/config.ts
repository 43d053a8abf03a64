import { ALERT_ENV, parseDiskThreshold, type AlertFileSettings } from '../stack/alert-settings.js';
import type { EnvValues } from '../util/dotenv.js';
import type { AlertConfig, TelegramSettings, WebhookSettings } from './types.js';

// Where alerts go, from three places: the process environment, then <root>/.env,
// then the stack file's `alerts` block (non-secret settings only). The first
// that has a value wins. Pure: every source comes in as data.

// The variable names and the stack file's settings are the stack schema's too (src/stack/alert-settings.ts).
export { ALERT_ENV, parseDiskThreshold, type AlertFileSettings } from '../stack/alert-settings.js';

export const DEFAULT_TELEGRAM_API = 'https://api.telegram.org';
export const DEFAULT_DISK_MIN_FREE = '10%,1G';

export interface ConfigSources {
  readonly stack: string;
  readonly host: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly dotenv: EnvValues;
  readonly dotenvPath: string;
  readonly file?: AlertFileSettings | undefined;
}

export type ConfigResult = { readonly ok: true; readonly config: AlertConfig } | { readonly ok: false; readonly problems: readonly string[] };

const nonEmpty = (v: string | undefined): string | undefined => (v !== undefined && v.trim() !== '' ? v.trim() : undefined);

/** Whether any channel is configured; with none, the monitor loads nothing more. */
export const hasChannel = (c: AlertConfig): boolean => c.telegram !== null || c.webhook !== null;

export function resolveAlertConfig(src: ConfigSources): ConfigResult {
  const pick = (key: string, fromFile?: string | number) => nonEmpty(src.env[key]) ?? nonEmpty(src.dotenv[key]) ?? (fromFile !== undefined ? nonEmpty(String(fromFile)) : undefined);
  const problems: string[] = [];
  const telegram = telegramFrom(src, pick, problems);
  const webhook = webhookFrom(src, pick, problems);
  const diskText = pick(ALERT_ENV.diskMinFree, src.file?.disk?.minFree) ?? DEFAULT_DISK_MIN_FREE;
  const disk = parseDiskThreshold(diskText);
  if (!disk) problems.push(`${ALERT_ENV.diskMinFree}=${JSON.stringify(diskText)}: expected a percentage and/or a size, like "10%", "2G" or "10%,1G" (low when either is crossed), or "off"`);
  if (problems.length > 0 || !disk) return { ok: false, problems };
  return { ok: true, config: { stack: src.stack, host: src.host, telegram, webhook, disk } };
}

type Pick = (key: string, fromFile?: string | number) => string | undefined;

function telegramFrom(src: ConfigSources, pick: Pick, problems: string[]): TelegramSettings | null {
  const envToken = nonEmpty(src.env[ALERT_ENV.token]);
  const token = envToken ?? nonEmpty(src.dotenv[ALERT_ENV.token]);
  const chat = pick(ALERT_ENV.chat, src.file?.telegram?.chat);
  const api = (pick(ALERT_ENV.api, src.file?.telegram?.api) ?? DEFAULT_TELEGRAM_API).replace(/\/+$/, '');
  if (!token && !chat) return null;
  if (!token) problems.push(`${ALERT_ENV.chat} is set but ${ALERT_ENV.token} is not: put ${ALERT_ENV.token}=<token from @BotFather> in ${src.dotenvPath}`);
  if (!chat) problems.push(`${ALERT_ENV.token} is set but ${ALERT_ENV.chat} is not: put ${ALERT_ENV.chat}=<chat id> in ${src.dotenvPath} (or alerts.telegram.chat in the stack file)`);
  if (!isHttpUrl(api)) problems.push(`${ALERT_ENV.api}=${JSON.stringify(api)}: expected an http(s) URL like ${DEFAULT_TELEGRAM_API}`);
  if (!token || !chat || !isHttpUrl(api)) return null;
  return { token, chat, api, tokenFrom: envToken ? 'environment' : '.env' };
}

function webhookFrom(src: ConfigSources, pick: Pick, problems: string[]): WebhookSettings | null {
  const url = pick(ALERT_ENV.webhook, src.file?.webhook?.url);
  const secret = nonEmpty(src.env[ALERT_ENV.webhookSecret]) ?? nonEmpty(src.dotenv[ALERT_ENV.webhookSecret]) ?? null;
  if (!url) {
    if (secret) problems.push(`${ALERT_ENV.webhookSecret} is set but ${ALERT_ENV.webhook} is not: put ${ALERT_ENV.webhook}=https://… in ${src.dotenvPath}`);
    return null;
  }
  if (!isHttpUrl(url)) {
    problems.push(`${ALERT_ENV.webhook}=${JSON.stringify(redactUrl(url))}: expected an http(s) URL`);
    return null;
  }
  return { url, secret };
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** A webhook URL may carry a key in its query or userinfo: show scheme, host and path only. */
export function redactUrl(text: string): string {
  try {
    const u = new URL(text);
    return `${u.protocol}//${u.host}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return text.length > 12 ? `${text.slice(0, 8)}…` : text;
  }
}
