import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../../src/util/dotenv.js';
import { parseDiskThreshold, resolveAlertConfig, type ConfigSources } from '../../../src/alerts/config.js';
import { fromInput } from '../../../src/rules/stack-load.js';
import { formatProblem } from '../../../src/stack/problems.js';

const TOKEN = '123456789:AAH-secret-token-for-tests_xyz';
const base: ConfigSources = { stack: 'bots', host: 'vps-1', env: {}, dotenv: {}, dotenvPath: '/v3/.env' };

describe('alert settings', () => {
  it('.env as people write it: export, quotes, comments, CRLF', () => {
    const text = `# alerts\r\nexport BOTSTACK_ALERT_TELEGRAM_TOKEN="${TOKEN}"\r\nBOTSTACK_ALERT_TELEGRAM_CHAT = -100200300\r\n\r\nBOTSTACK_ALERT_WEBHOOK='https://hooks.example.com/x?k=1'\r\nnot a line\r\n`;
    expect(parseDotenv(text)).toEqual({ BOTSTACK_ALERT_TELEGRAM_TOKEN: TOKEN, BOTSTACK_ALERT_TELEGRAM_CHAT: '-100200300', BOTSTACK_ALERT_WEBHOOK: 'https://hooks.example.com/x?k=1' });
  });

  it('nothing set: no channel, and that is not an error', () => {
    expect(resolveAlertConfig(base)).toEqual({ ok: true, config: { stack: 'bots', host: 'vps-1', telegram: null, webhook: null, disk: { minFreeRatio: 0.1, minFreeBytes: 2 ** 30 } } });
  });

  it('the environment wins over .env, and .env over the stack file', () => {
    const r = resolveAlertConfig({
      ...base,
      env: { BOTSTACK_ALERT_TELEGRAM_CHAT: '111' },
      dotenv: { BOTSTACK_ALERT_TELEGRAM_TOKEN: TOKEN, BOTSTACK_ALERT_TELEGRAM_CHAT: '222', BOTSTACK_ALERT_TELEGRAM_API: 'http://127.0.0.1:9/' },
      file: { telegram: { chat: 333, api: 'https://tg.example.com' }, webhook: { url: 'https://hooks.example.com/a' } },
    });
    expect(r).toMatchObject({ ok: true, config: { telegram: { token: TOKEN, chat: '111', api: 'http://127.0.0.1:9', tokenFrom: '.env' }, webhook: { url: 'https://hooks.example.com/a', secret: null } } });
  });

  it('half a Telegram setup is a problem that says what to add where', () => {
    expect(resolveAlertConfig({ ...base, dotenv: { BOTSTACK_ALERT_TELEGRAM_CHAT: '1' } })).toEqual({
      ok: false,
      problems: ['BOTSTACK_ALERT_TELEGRAM_CHAT is set but BOTSTACK_ALERT_TELEGRAM_TOKEN is not: put BOTSTACK_ALERT_TELEGRAM_TOKEN=<token from @BotFather> in /v3/.env'],
    });
    const r = resolveAlertConfig({ ...base, env: { BOTSTACK_ALERT_TELEGRAM_TOKEN: TOKEN } });
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain(TOKEN);
  });

  it('disk thresholds', () => {
    expect(parseDiskThreshold('10%,1G')).toEqual({ minFreeRatio: 0.1, minFreeBytes: 2 ** 30 });
    expect(parseDiskThreshold('512M')).toEqual({ minFreeRatio: null, minFreeBytes: 512 * 2 ** 20 });
    expect(parseDiskThreshold('off')).toEqual({ minFreeRatio: null, minFreeBytes: null });
    expect(parseDiskThreshold('10')).toBeNull();
    expect(parseDiskThreshold('150%')).toBeNull();
    expect(resolveAlertConfig({ ...base, env: { BOTSTACK_ALERT_DISK_MIN_FREE: 'lots' } })).toEqual({
      ok: false,
      problems: ['BOTSTACK_ALERT_DISK_MIN_FREE="lots": expected a percentage and/or a size, like "10%", "2G" or "10%,1G" (low when either is crossed), or "off"'],
    });
  });
});

describe('the stack file’s alerts block', () => {
  const stack = (alerts: unknown) => fromInput({ name: 'bots', root: '/v3', alerts, services: [{ name: 'api', kind: 'uvicorn', app: 'api_v2.app:app', port: 8002 }] }, '/v3/ecosystem.config.ts', { env: {} });

  it('takes chat, api, webhook url and disk threshold, and keeps them in the resolved stack', () => {
    const r = stack({ telegram: { chat: -100200300, api: 'https://api.telegram.org' }, webhook: { url: 'https://hooks.example.com/a' }, disk: { minFree: '5%' } });
    expect(r.ok && r.stack.alerts).toEqual({ telegram: { chat: -100200300, api: 'https://api.telegram.org' }, webhook: { url: 'https://hooks.example.com/a' }, disk: { minFree: '5%' } });
  });

  it('refuses a token, says to put it in .env, and never repeats it', () => {
    const r = stack({ telegram: { chat: '1', token: TOKEN }, webhook: { url: 'https://h.example.com', secret: 'whsec-xyz-123' } });
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : r.problems.map(formatProblem).join('\n');
    expect(text).toBe(
      [
        '/v3/ecosystem.config.ts: alerts.telegram.token: is a secret and never goes in the stack file (it is in git, and in what pm2 stores)',
        '  fix: remove it; put BOTSTACK_ALERT_TELEGRAM_TOKEN=… in <root>/.env (mode 600), and revoke the old value if this file was ever committed',
        '/v3/ecosystem.config.ts: alerts.webhook.secret: is a secret and never goes in the stack file (it is in git, and in what pm2 stores)',
        '  fix: remove it; put BOTSTACK_ALERT_WEBHOOK_SECRET=… in <root>/.env (mode 600), and revoke the old value if this file was ever committed',
      ].join('\n'),
    );
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('whsec-xyz-123');
  });

  it('is strict: a typo is an error; a bad threshold or URL names the value', () => {
    const r = stack({ telegram: { chatId: 1 }, disk: { minFree: '10 percent' }, webhook: { url: 'hooks.example.com' } });
    expect(r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'alerts.telegram.chatId: unknown key "chatId"; pm2 would drop it without a word',
      'alerts.webhook.url: must be an http(s) URL (got "hooks.example.com")',
      'alerts.disk.minFree: expected a percentage and/or a size, like "10%", "2G" or "10%,1G", or "off" (got "10 percent")',
    ]);
  });
});
