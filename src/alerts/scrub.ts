import { makeRedactor, type SecretValue } from '../util/redact.js';

// Secrets out of every string that leaves the alerting code: log lines, error
// messages, `alert test` output. Node's network errors can carry the request
// URL, and a Telegram URL holds the bot token (/bot<token>/sendMessage).
// The one redactor (util/redact.ts) takes runs of the channel's own secrets;
// on top of it, any bot token in a URL path is cut (whoever's it is), and the
// channel's secrets are masked wherever they stand whole, however short:
// here they are credentials botstack holds, not arbitrary .env values.

const BOT_PATH = /bot\d+:[A-Za-z0-9_-]+/g;

export function scrubber(secrets: readonly SecretValue[]): (text: string) => string {
  const given = secrets.filter((s) => s.value);
  const redact = makeRedactor(given);
  return (text) => {
    let out = redact(text.replace(BOT_PATH, 'bot…'));
    for (const s of given) out = out.split(s.value).join(`[redacted:${s.key}]`);
    return out;
  };
}
