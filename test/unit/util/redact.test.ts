import { describe, expect, it } from 'vitest';
import { makeRedactor, secretValues } from '../../../src/util/redact.js';
import { secretsOf } from '../../../src/util/secrets.js';

const TOKEN = '7412345678:AAHk2xQ9vL_mZpR8tYw3NcD5fGjK1sE0uOb';
const r = makeRedactor([{ key: 'BOT_TOKEN', value: TOKEN }]);

describe('redact: runs of 12 or more characters of a long value', () => {
  it('replaces the whole token, its 20-character prefix, any 12-character run, wherever they sit in a line', () => {
    expect(r(`token ${TOKEN} ok`)).toBe('token [redacted:BOT_TOKEN] ok');
    expect(r(`Token used: ${TOKEN.slice(0, 20)}...`)).toBe('Token used: [redacted:BOT_TOKEN]...');
    expect(r(`x${TOKEN.slice(9, 21)}y`)).toBe('x[redacted:BOT_TOKEN]y');
    expect(r(TOKEN)).toBe('[redacted:BOT_TOKEN]');
    expect(r(`${TOKEN}${TOKEN}`)).toBe('[redacted:BOT_TOKEN][redacted:BOT_TOKEN]');
    expect(r(`a ${TOKEN.slice(0, 15)} b ${TOKEN.slice(-13)}`)).toBe('a [redacted:BOT_TOKEN] b [redacted:BOT_TOKEN]');
  });

  it('extends a match to the maximal run, so no characters of the secret are left on either side', () => {
    const out = r(`«${TOKEN.slice(3, 40)}»`);
    expect(out).toBe('«[redacted:BOT_TOKEN]»');
  });

  it('leaves 11 characters of it, and text that merely shares characters, alone', () => {
    const eleven = TOKEN.slice(5, 16);
    expect(r(`id ${eleven} end`)).toBe(`id ${eleven} end`);
    expect(r('the quick brown fox jumps over the lazy dog')).toBe('the quick brown fox jumps over the lazy dog');
    expect(r('')).toBe('');
    expect(r('short')).toBe('short');
  });

  it('names the key whose value matched, among several; overlapping matches become one', () => {
    const two = makeRedactor(secretValues({ A_KEY: 'aaaaaaaaaaaaaaaaaaaa', DB_PASSWORD: 'correct-horse-battery-staple' }));
    expect(two('u=correct-horse-battery p=aaaaaaaaaaaaaaa')).toBe('u=[redacted:DB_PASSWORD] p=[redacted:A_KEY]');
  });

  it('is unicode-safe (UTF-16 units on both sides)', () => {
    const u = makeRedactor([{ key: 'K', value: 'пароль-очень-длинный-секрет' }]);
    expect(u('→ пароль-очень-длинный ←')).toBe('→ [redacted:K] ←');
  });
});

describe('redact: short values (under 12) whole, as words', () => {
  const s = makeRedactor(secretValues({ PASS: 'hunter2x', API_KEY: 'Zq9vL_mZpR8', PORT: '8000', LEVEL: 'info', APP_ENV: 'production', CHAT: '123456789' }));

  it('replaces a 6-11 character value standing as a word', () => {
    expect(s('login with hunter2x now')).toBe('login with [redacted:PASS] now');
    expect(s('key=Zq9vL_mZpR8;')).toBe('key=[redacted:API_KEY];');
    expect(s('"hunter2x"')).toBe('"[redacted:PASS]"');
  });

  it('never inside a longer word', () => {
    expect(s('hunter2xx and xhunter2x and hunter2x_y')).toBe('hunter2xx and xhunter2x and hunter2x_y');
  });

  it('never values under 6 characters, all-digit short values, or setting words', () => {
    expect(s('listening on 8000 at info level in production, chat 123456789')).toBe('listening on 8000 at info level in production, chat 123456789');
  });
});

describe('redact: URLs', () => {
  const u = makeRedactor(secretValues({ HOOK: 'https://hooks.example.com/services/T0001/B0002/XyZsecretPart', DB: 'mongodb://bot:s3cr3t-pass@127.0.0.1:27017/bot', LOCAL: 'http://127.0.0.1:8002' }));

  it('redacts the path of a webhook URL and the password of a database URL, not their scheme and host', () => {
    expect(u('POST https://hooks.example.com/services/T0001/B0002/XyZsecretPart failed')).toBe('POST https://hooks.example.com[redacted:HOOK] failed');
    expect(u('connecting to mongodb://bot:s3cr3t-pass@127.0.0.1:27017/bot')).toBe('connecting to mongodb://[redacted:DB]@127.0.0.1:27017/bot');
  });

  it('leaves a loopback URL that is only scheme, host and port alone', () => {
    expect(u('HTTP 500 from GET http://127.0.0.1:8002/health')).toBe('HTTP 500 from GET http://127.0.0.1:8002/health');
  });
});

describe('redact: no secrets', () => {
  it('returns the text as is', () => {
    const none = makeRedactor([]);
    expect(none('anything at all, 7412345678:AAHk2xQ9vL')).toBe('anything at all, 7412345678:AAHk2xQ9vL');
  });
});

describe("a stack's secrets", () => {
  const stack = { envFile: '/x/.env', services: [{ secrets: ['BOT_TOKEN'] }, { secrets: [] }] };

  it('are every .env value, the declared keys from the environment, and the alert token from the environment', () => {
    const got = secretsOf(stack, { MONGO_PASSWORD: 'sekret-sekret-1', BOTSTACK_ALERT_TELEGRAM_CHAT: '-1001234567890' }, { BOT_TOKEN: TOKEN, BOTSTACK_ALERT_TELEGRAM_TOKEN: '1:xyzxyzxyzxyzxyz', HOME: '/root' });
    expect(got).toEqual([
      { key: 'BOT_TOKEN', value: TOKEN },
      { key: 'BOTSTACK_ALERT_TELEGRAM_TOKEN', value: '1:xyzxyzxyzxyzxyz' },
      { key: 'MONGO_PASSWORD', value: 'sekret-sekret-1' },
    ]);
  });

  it('keeps both values when the environment and .env disagree', () => {
    expect(secretsOf(stack, { BOT_TOKEN: 'from-the-file-123' }, { BOT_TOKEN: 'from-the-env-456' }).map((s) => s.value)).toEqual(['from-the-env-456', 'from-the-file-123']);
  });
});

describe('redact: against a naive reference', () => {
  it('leaves no 12-character run of any secret in 2000 random lines', () => {
    let seed = 42;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    const alphabet = 'abcAB01:_-';
    const word = (n: number) => Array.from({ length: n }, () => alphabet[rnd(alphabet.length)]).join('');
    const secrets = [{ key: 'S1', value: word(30) }, { key: 'S2', value: word(45) }];
    const red = makeRedactor(secrets);
    const leaks: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const parts: string[] = [];
      for (let j = rnd(5); j >= 0; j--) {
        const s = secrets[rnd(2)]!.value;
        const a = rnd(s.length);
        parts.push(word(rnd(20)), s.slice(a, a + 8 + rnd(30)));
      }
      const out = red(parts.join(''));
      for (const s of secrets) for (let a = 0; a + 12 <= s.value.length; a++) if (out.includes(s.value.slice(a, a + 12))) leaks.push(out);
    }
    expect(leaks).toEqual([]);
  });
});
