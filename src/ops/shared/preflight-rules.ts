import type { Service, Stack } from '../../stack/types.js';

// The `check` rules that gate `start`: the same rule set, run over what the
// stack compiles to. Only error-severity findings stop a start; warnings are
// `botstack check`'s to show.
export async function ruleProblems(stack: Stack, services: readonly Service[]): Promise<string[]> {
  const { runRules, withVenvExpectation } = await import('../../rules/index.js');
  const { appsFromStack } = await import('../../rules/model/from-stack.js');
  const names = new Set(services.map((s) => s.name));
  const apps = withVenvExpectation(appsFromStack(stack));
  const findings = runRules({ file: stack.file, profile: stack.profile, apps });
  return findings
    .filter((f) => f.severity === 'error' && (f.service === null || names.has(f.service)))
    .map((f) => `${f.message} [${f.rule}]${f.fix ? `\n  fix: ${f.fix}` : ''}`);
}
