import type { CliIO } from '../../util/io.js';
import type { Redact } from '../../util/redact.js';
import { secretsOf, stackRedactor, type SecretSource } from '../../util/secrets.js';

// The redactor every operator command puts its output through: the stack's
// secrets (util/secrets.ts) out of log lines, probe reasons and reports. A
// .env this user cannot read is said once, and the secrets still known (those
// in the environment) are redacted: the log files are usually the same
// owner's, so a user who cannot read one rarely reads the other.

export async function redactorFor(stack: SecretSource, io: Pick<CliIO, 'env' | 'stderr'>): Promise<Redact> {
  try {
    return await stackRedactor(stack, io.env);
  } catch (err) {
    io.stderr.write(`warning: cannot read ${stack.envFile} (${(err as NodeJS.ErrnoException).code ?? String(err)}): secrets kept only there are not redacted from this output\n`);
    const { makeRedactor } = await import('../../util/redact.js');
    return makeRedactor(secretsOf(stack, {}, io.env));
  }
}

/** Every string in a JSON-shaped value redacted (keys kept): for --json reports built from many sources. */
export function redactDeep<T>(value: T, redact: Redact): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactDeep(v, redact)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, redact);
    return out as T;
  }
  return value;
}
