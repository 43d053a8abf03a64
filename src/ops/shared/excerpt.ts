import type { Service, Stack } from '../../stack/types.js';
import { makeRedactor, type Redact } from '../../util/redact.js';
import { secretsOf, stackRedactorSync } from '../../util/secrets.js';
import { lastLines } from '../logs/lines.js';

// The last log lines a failed start, restart or deploy prints, and the probe's
// reason beside them, redacted: they quote what the service wrote, and a
// service that prints its token must not have it shown by botstack.

export function failureRedactor(stack: Stack, env: Readonly<Record<string, string | undefined>> = process.env): Redact {
  try {
    return stackRedactorSync(stack, env);
  } catch {
    // An unreadable .env: its values cannot be known here; the environment's still are.
    return makeRedactor(secretsOf(stack, {}, env));
  }
}

export function failureExcerpt(stack: Stack, s: Service, n: number, redact: Redact = failureRedactor(stack)): string[] {
  const err = lastLines(s.errFile, n).map((l) => `  ${s.name}.err | ${redact(l)}`);
  const out = lastLines(s.outFile, n).map((l) => `  ${s.name}.out | ${redact(l)}`);
  return [...err, ...out];
}
