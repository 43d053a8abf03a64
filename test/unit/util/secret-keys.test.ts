import { describe, expect, it } from 'vitest';
import { isSecretKey } from '../../../src/util/secret-keys.js';

// One pattern serves init (loose) and check (strict). The table pins what each
// said before they shared it; the sweep compares against the two patterns as
// they stood in init/plan.ts and rules/checks/secrets.ts, over every word and
// suffix they name, so a change to either strictness shows here.

const TABLE: readonly (readonly [key: string, loose: boolean, strict: boolean])[] = [
  ['TELEGRAM_BOT_TOKEN', true, true],
  ['token', true, true],
  ['DB_PASSWORD', true, true],
  ['MYSQL_PASSWD', true, true],
  ['OPENAI_API_KEY', true, true],
  ['APIKEY', true, true],
  ['PRIVATE_KEY', true, true],
  ['AWS_ACCESS_KEY_ID', true, true],
  ['JWT_SECRET', true, true],
  ['secrets', true, false], // a list of secret names in a botstack file
  ['GOOGLE_CREDENTIALS', true, false], // init moves it to .env; check stays quiet
  ['credential', true, false],
  ['GOOGLE_CREDENTIALS_FILE', false, false],
  ['TOKEN_FILE', false, false],
  ['SECRETS_DIR', false, false],
  ['PASSWORD_PATH', false, false],
  ['TOKEN_URL', false, false],
  ['SECRET_NAME', false, false],
  ['TOKEN_HEADER', true, false],
  ['JWT_SECRET_TTL', true, false],
  ['TOKEN_EXPIRES', true, false],
  ['TOKEN_EXPIRE', true, false],
  ['PASSWORD_LENGTH', true, false],
  ['MONGO_URI', false, false],
  ['PORT', false, false],
  ['KEY', false, false],
];

const OLD_LOOSE = (k: string): boolean =>
  /(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)/i.test(k) && !/(_FILE|_PATH|_DIR|_URL|_NAME)$/i.test(k);
const OLD_STRICT = (k: string): boolean =>
  /(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY)/i.test(k) &&
  !/(_FILE|_PATH|_DIR|_NAME|_HEADER|_TTL|_EXPIRES?|_LENGTH|_URL)$|^secrets$/i.test(k);

describe('isSecretKey', () => {
  it.each(TABLE)('%s: loose %s, strict %s', (key, loose, strict) => {
    expect(isSecretKey(key, { strict: false })).toBe(loose);
    expect(isSecretKey(key, { strict: true })).toBe(strict);
  });

  it('answers as both old patterns did over every word and suffix they name', () => {
    const words = ['TOKEN', 'secret', 'SECRETS', 'Password', 'PASSWD', 'API_KEY', 'APIKEY', 'PRIVATE_KEY', 'PRIVATEKEY', 'ACCESS_KEY', 'ACCESSKEY', 'CREDENTIAL', 'credentials', 'PORT', 'KEY'];
    const suffixes = ['', '_FILE', '_PATH', '_DIR', '_URL', '_NAME', '_HEADER', '_TTL', '_EXPIRE', '_EXPIRES', '_LENGTH', '_ID', 's'];
    const keys = [...words.flatMap((w) => suffixes.flatMap((s) => [`${w}${s}`, `BOT_${w}${s}`])), 'secrets', 'SECRETS'];
    for (const k of keys) {
      expect([k, isSecretKey(k, { strict: false })]).toEqual([k, OLD_LOOSE(k)]);
      expect([k, isSecretKey(k, { strict: true })]).toEqual([k, OLD_STRICT(k)]);
    }
    // The control: the two strictnesses do differ, so the sweep compares something.
    expect(keys.filter((k) => OLD_LOOSE(k) !== OLD_STRICT(k)).length).toBeGreaterThan(20);
  });
});
