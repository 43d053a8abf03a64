import { readFileSync } from 'node:fs';
import { parseDotenv, readDotenv, type EnvValues } from './dotenv.js';
import { makeRedactor, secretValues, type Redact, type SecretValue } from './redact.js';

// Which values are secrets, for a stack: every value in <root>/.env, and each
// declared `secrets` key's value wherever it is set (the environment or .env),
// and the alert token and webhook secret set in the environment. Structural
// types only, so every layer (util up) can use it without loading the stack.

export interface SecretSource {
  readonly envFile: string;
  readonly services: readonly { readonly secrets: readonly string[] }[];
}

/** Keys in .env that are settings botstack itself reads, never secrets. */
const SETTINGS = new Set(['BOTSTACK_ALERT_TELEGRAM_CHAT', 'BOTSTACK_ALERT_TELEGRAM_API', 'BOTSTACK_ALERT_DISK_MIN_FREE']);
const ALERT_SECRETS = ['BOTSTACK_ALERT_TELEGRAM_TOKEN', 'BOTSTACK_ALERT_WEBHOOK_SECRET', 'BOTSTACK_ALERT_WEBHOOK'];

export function secretsOf(stack: SecretSource, dotenv: EnvValues, env: Readonly<Record<string, string | undefined>>): SecretValue[] {
  const declared = new Set(stack.services.flatMap((s) => s.secrets));
  const fromEnv: Record<string, string | undefined> = {};
  for (const key of [...declared, ...ALERT_SECRETS]) fromEnv[key] = env[key];
  const fromFile: Record<string, string> = {};
  for (const [k, v] of Object.entries(dotenv)) if (!SETTINGS.has(k)) fromFile[k] = v;
  // Both values count when the environment and .env disagree: either may be the one a service prints.
  const a = secretValues(fromEnv);
  const b = secretValues(fromFile).filter((s) => !a.some((x) => x.key === s.key && x.value === s.value));
  return [...a, ...b];
}

/** The stack's redactor; a .env that cannot be read (other than missing) is an error for the caller to say. */
export async function stackRedactor(stack: SecretSource, env: Readonly<Record<string, string | undefined>> = process.env): Promise<Redact> {
  return makeRedactor(secretsOf(stack, await readDotenv(stack.envFile), env));
}

/** The same, synchronously, for paths that cannot await (pm2-entry, a report built in one call). A missing .env is none. */
export function stackRedactorSync(stack: SecretSource, env: Readonly<Record<string, string | undefined>> = process.env): Redact {
  let text = '';
  try {
    text = readFileSync(stack.envFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return makeRedactor(secretsOf(stack, parseDotenv(text), env));
}
