import { CliError, EXIT } from '../../util/io.js';
import type { Stack } from '../../stack/types.js';

/** Refuses names the stack does not declare, listing the ones it does. */
export function checkNames(stack: Stack, names: readonly string[]): void {
  const known = new Set(stack.services.map((s) => s.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length === 0) return;
  const list = stack.services.map((s) => s.name).join(', ');
  throw new CliError(`no service named ${unknown.map((n) => `"${n}"`).join(', ')} in stack ${stack.name}; its services are: ${list}`, EXIT.USAGE);
}
