import type { AlertConfig, AlertEvent } from '../../alerts/types.js';
import { CliError, EXIT, line, type CliIO } from '../../util/io.js';
import { parseDuration } from '../../stack/units.js';
import { loadConfig } from '../shared/context.js';

// `botstack alert test`: the monitor's channels, exercised from the shell, with
// a verdict per channel. Where the token came from is printed, never the token.

export interface AlertTestReport {
  readonly stack: string;
  readonly host: string;
  readonly ok: boolean;
  readonly channels: readonly { readonly channel: string; readonly target: string; readonly delivered: boolean; readonly attempts: number; readonly error?: string }[];
}

function target(c: AlertConfig, channel: string): string {
  if (channel === 'telegram' && c.telegram) return `chat ${c.telegram.chat} via ${c.telegram.api}, token from ${c.telegram.tokenFrom}`;
  if (channel === 'webhook' && c.webhook) {
    const u = new URL(c.webhook.url);
    return `${u.protocol}//${u.host}${u.pathname}${c.webhook.secret ? ', signed' : ', unsigned'}`;
  }
  return '';
}

export async function alertTest(io: CliIO, opts: { config: string; timeout: string; json?: boolean }): Promise<number> {
  const timeoutMs = parseDuration(opts.timeout);
  if (timeoutMs === undefined || timeoutMs <= 0) throw new CliError(`--timeout ${JSON.stringify(opts.timeout)}: expected a duration like 30s`);
  const stack = await loadConfig(io, opts.config);
  const { loadAlertConfig } = await import('../../alerts/load.js');
  const { hasChannel, ALERT_ENV } = await import('../../alerts/config.js');
  const r = await loadAlertConfig(stack, io.env).catch((err: unknown) => {
    throw new CliError(`cannot read ${stack.envFile}: ${err instanceof Error ? err.message : String(err)}`);
  });
  if (!r.ok) throw new CliError(`the alert settings are invalid:\n${r.problems.map((p) => `  ${p}`).join('\n')}`);
  if (!hasChannel(r.config)) {
    throw new CliError(`no alert channel is configured for stack ${stack.name}; put these in ${stack.envFile} (mode 600):\n  ${ALERT_ENV.token}=<token from @BotFather>\n  ${ALERT_ENV.chat}=<chat id>\nor ${ALERT_ENV.webhook}=https://… (and ${ALERT_ENV.webhookSecret}=… to sign it)`);
  }
  const c = r.config;
  const { sendNow } = await import('../../alerts/send-now.js');
  const event: AlertEvent = { kind: 'test', service: null, state: 'test', detail: 'a test alert from `botstack alert test`: if you can read this, alerts reach you', next: 'nothing', at: Date.now() };
  if (!opts.json) line(io.stdout, `sending a test alert for stack ${c.stack} on ${c.host}...`);
  const results = await sendNow(c, event, { deadlineMs: timeoutMs, ...(io.signal ? { signal: io.signal } : {}) });
  const report: AlertTestReport = {
    stack: c.stack,
    host: c.host,
    ok: results.every((x) => x.delivered),
    channels: results.map((x) => ({ ...x, target: target(c, x.channel) })),
  };
  if (opts.json) io.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else {
    for (const ch of report.channels) {
      const tries = `${ch.attempts} attempt${ch.attempts === 1 ? '' : 's'}`;
      line(ch.delivered ? io.stdout : io.stderr, `${ch.channel.padEnd(8)} ${ch.delivered ? 'delivered' : 'FAILED'} (${ch.target}; ${tries})${ch.error ? `: ${ch.error}` : ''}`);
    }
  }
  return report.ok ? EXIT.OK : EXIT.FAIL;
}
