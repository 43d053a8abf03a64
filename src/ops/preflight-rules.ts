import { findDevFlag } from '../rules/dev-flags.js';
import type { Service, Stack } from '../stack/types.js';

// The `check` rules that gate `start`.
// TODO(rules): when src/rules exposes its rule runner (issue #2, `check`), call it
// here and keep its error-severity findings; until then only the incident's own
// rule runs: no reload or watch flag on a production command line.
export async function ruleProblems(stack: Stack, services: readonly Service[]): Promise<string[]> {
  if (stack.profile !== 'production') return [];
  const out: string[] = [];
  for (const s of services) {
    const flag = findDevFlag([s.launch.script, ...s.launch.args]);
    if (flag) out.push(`${s.name}: its command line has ${flag.flag}, which restarts it on every file change (every git pull); remove it from ${s.name}.args`);
    if (s.watch) out.push(`${s.name}: watch is on in production; remove watch from ${s.name}`);
  }
  return out;
}
