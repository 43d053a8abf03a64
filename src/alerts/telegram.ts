import { postJson, retryAfterMs } from './http.js';
import { scrubber } from './scrub.js';
import type { Channel, OutMessage, SendOutcome, TelegramSettings } from './types.js';

// The Bot API's sendMessage. 429 carries parameters.retry_after (seconds) and is
// retried after exactly that; 5xx, timeouts and network errors are retried with
// backoff; any other 4xx (a wrong token, an unknown chat) will not get better by
// itself and is reported. The token is in the URL path, so every error is scrubbed.

interface BotApiReply {
  readonly ok?: boolean;
  readonly description?: string;
  readonly parameters?: { readonly retry_after?: number };
}

function parseReply(body: string): BotApiReply {
  try {
    const v = JSON.parse(body) as unknown;
    return v && typeof v === 'object' ? (v as BotApiReply) : {};
  } catch {
    return {};
  }
}

const HINT: Record<number, string> = {
  401: 'check BOTSTACK_ALERT_TELEGRAM_TOKEN',
  404: 'check BOTSTACK_ALERT_TELEGRAM_TOKEN and BOTSTACK_ALERT_TELEGRAM_API',
  400: 'check BOTSTACK_ALERT_TELEGRAM_CHAT',
  403: 'the bot cannot post to BOTSTACK_ALERT_TELEGRAM_CHAT: add it to the chat, or /start it',
};

export function telegramChannel(t: TelegramSettings): Channel {
  const url = `${t.api}/bot${t.token}/sendMessage`;
  const clean = scrubber([{ key: 'BOTSTACK_ALERT_TELEGRAM_TOKEN', value: t.token }]);
  return {
    name: 'telegram',
    async send(msg: OutMessage, signal: AbortSignal): Promise<SendOutcome> {
      const body = JSON.stringify({ chat_id: t.chat, text: msg.text, disable_web_page_preview: true });
      const r = await postJson(url, body, {}, signal);
      if (r.type === 'error') return { type: r.permanent ? 'fail' : 'retry', error: clean(r.error) };
      const reply = parseReply(r.body);
      if (r.status >= 200 && r.status < 300 && reply.ok !== false) return { type: 'sent' };
      const what = clean(`HTTP ${r.status}${reply.description ? `: ${reply.description}` : ''}`);
      if (r.status === 429) {
        const after = reply.parameters?.retry_after;
        const afterMs = typeof after === 'number' && after >= 0 ? after * 1000 : retryAfterMs(r.headers);
        return { type: 'retry', error: what, ...(afterMs !== undefined ? { afterMs } : {}) };
      }
      if (r.status >= 500) return { type: 'retry', error: what };
      return { type: 'fail', error: `${what}${HINT[r.status] ? ` (${HINT[r.status]})` : ''}` };
    },
  };
}
