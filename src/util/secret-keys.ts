// Which environment keys name a secret. One pattern, two strictnesses, because
// the two callers pay differently for a wrong answer:
// - init (loose): a key it calls secret moves to <root>/.env, which costs
//   nothing, so CREDENTIALS counts and only keys that name a place are spared;
// - check (strict): a key it calls secret raises an error on the user's file,
//   so it also spares keys that describe a secret without holding it
//   (JWT_SECRET_TTL, TOKEN_HEADER) and leaves the vaguer CREDENTIALS out.

const SECRET_WORD = /(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY)/i;
/** Loose only: a credentials key often names a file or a JSON blob, which init moves to .env all the same. */
const LOOSE_WORD = /CREDENTIALS?/i;
/** A key that names where a secret is, not the secret. */
const PLACE = /(_FILE|_PATH|_DIR|_URL|_NAME)$/i;
/** Strict only: a key about a secret (its header, lifetime, length), or a list of secret names. */
const ABOUT = /(_HEADER|_TTL|_EXPIRES?|_LENGTH)$|^secrets$/i;

export interface SecretKeyOptions {
  /** true: check's rule, which must not raise false alarms; false: init's, which errs towards .env. */
  readonly strict: boolean;
}

export function isSecretKey(key: string, { strict }: SecretKeyOptions): boolean {
  const named = SECRET_WORD.test(key) || (!strict && LOOSE_WORD.test(key));
  return named && !PLACE.test(key) && !(strict && ABOUT.test(key));
}
