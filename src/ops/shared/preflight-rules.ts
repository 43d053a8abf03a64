import { readFileSync } from 'node:fs';
import type { Service, Stack } from '../../stack/types.js';

/** The stack file's text, for the FILL IN comments init left (unresolved-path); none when it cannot be read. */
function stackText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

// The `check` rules that gate `start`: the same rule set, run over what the
// stack compiles to. Only error-severity findings stop a start; warnings are
// `botstack check`'s to show.
export async function ruleProblems(stack: Stack, services: readonly Service[]): Promise<string[]> {
  const { runRules, withVenvExpectation } = await import('../../rules/index.js');
  const { appsFromStack } = await import('../../rules/model/from-stack.js');
  const { appLines } = await import('../../rules/model/lines.js');
  const { fillIns } = await import('../../rules/checks/unresolved.js');
  const names = new Set(services.map((s) => s.name));
  const text = stackText(stack.file);
  const apps = withVenvExpectation(appsFromStack(stack, appLines(text, stack.services.map((s) => ({ name: s.name })))));
  const ctx = { file: stack.file, profile: stack.profile, apps };
  const findings = [...runRules(ctx), ...fillIns(text, ctx)];
  return findings
    .filter((f) => f.severity === 'error' && (f.service === null || names.has(f.service)))
    .map((f) => `${f.message} [${f.rule}]${f.fix ? `\n  fix: ${f.fix}` : ''}`);
}
