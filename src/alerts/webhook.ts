import { createHmac } from 'node:crypto';
import { redactUrl } from './config.js';
import { postJson, retryAfterMs } from './http.js';
import { scrubber } from './scrub.js';
import type { Channel, OutMessage, SendOutcome, WebhookSettings } from './types.js';

// A JSON POST to any URL. With BOTSTACK_ALERT_WEBHOOK_SECRET set, the raw body
// is signed: `X-Botstack-Signature: sha256=<hex HMAC-SHA256 of the body>`, the
// form GitHub uses, so a receiver checks it the same way (README "Alerts").
// `sentAt` is inside the signed body, so a receiver can refuse old replays.

export const SIGNATURE_HEADER = 'x-botstack-signature';

export function sign(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface WebhookPayload {
  readonly source: 'botstack';
  readonly version: 1;
  readonly stack: string;
  readonly host: string;
  readonly sentAt: string;
  readonly text: string;
  readonly dropped: number;
  readonly events: OutMessage['events'];
}

export function webhookChannel(w: WebhookSettings, origin: { stack: string; host: string }): Channel {
  const scrub = scrubber(w.secret ? [{ key: 'BOTSTACK_ALERT_WEBHOOK_SECRET', value: w.secret }] : []);
  const clean = (s: string) => scrub(s.split(w.url).join(redactUrl(w.url)));
  return {
    name: 'webhook',
    async send(msg: OutMessage, signal: AbortSignal): Promise<SendOutcome> {
      const payload: WebhookPayload = { source: 'botstack', version: 1, ...origin, sentAt: new Date().toISOString(), text: msg.text, dropped: msg.dropped, events: msg.events };
      const body = JSON.stringify(payload);
      const r = await postJson(w.url, body, w.secret ? { [SIGNATURE_HEADER]: sign(w.secret, body) } : {}, signal);
      if (r.type === 'error') return { type: r.permanent ? 'fail' : 'retry', error: clean(r.error) };
      if (r.status >= 200 && r.status < 300) return { type: 'sent' };
      const what = clean(`HTTP ${r.status}${r.body ? `: ${r.body.slice(0, 200).replace(/\s+/g, ' ')}` : ''}`);
      if (r.status === 429) {
        const afterMs = retryAfterMs(r.headers);
        return { type: 'retry', error: what, ...(afterMs !== undefined ? { afterMs } : {}) };
      }
      if (r.status >= 500 || r.status === 408) return { type: 'retry', error: what };
      return { type: 'fail', error: what };
    },
  };
}
