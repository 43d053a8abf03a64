import type { EnvLookup } from '../stack/resolve.js';
import { autoPull } from './checks/auto-pull.js';
import { noMonitor } from './checks/monitor.js';
import { inlineSecrets } from './checks/secrets.js';
import { fileRules } from './file-rules.js';
import { runRules, withVenvExpectation } from './index.js';
import { readSource, type Source } from './source/read.js';
import type { Finding, RuleContext } from './types.js';

// One file in, every finding out: read -> normalise -> rules -> sorted findings.
// No printing and no exit codes here; the CLI decides those.

export type CheckResult = { readonly ok: true; readonly findings: readonly Finding[] } | { readonly ok: false; readonly errors: readonly string[] };

/** Unknown dependencies, cycles, a missing port: not production rules, but no stack starts with them. */
async function structureFindings(source: Source, ctx: RuleContext): Promise<Finding[]> {
  const stack = source.stack;
  if (!stack) return [];
  const { STRUCTURE_CHECKS } = await import('./stack-checks.js');
  return Object.entries(STRUCTURE_CHECKS).flatMap(([rule, check]) =>
    check(stack).map((p) => {
      const app = ctx.apps.find((a) => a.name === p.service);
      return { rule, severity: 'error' as const, file: ctx.file, line: app?.line ?? null, service: p.service ?? null, message: p.message, fix: p.fix ?? '' };
    }),
  );
}

/** Findings in file order; those without a line last. */
const byLine = (a: Finding, b: Finding): number => (a.line === b.line ? 0 : (a.line ?? Infinity) - (b.line ?? Infinity));

export async function checkFile(abs: string, display: string, env: EnvLookup): Promise<CheckResult> {
  const read = await readSource(abs, display, env);
  if (!read.ok) return read;
  const { source } = read;
  const ctx: RuleContext = { file: display, profile: source.profile, apps: withVenvExpectation(source.apps), ...(source.pulls ? { pulls: source.pulls } : {}) };
  const notes: Finding[] = (source.notes ?? []).map((n) => ({ ...n, file: display }));
  // A file named for development: production's limits mean nothing there; reload is the point (info).
  const findings = [...notes, ...runRules(ctx, source.devFile ? ['watch-on', 'reload-flag'] : undefined), ...(await structureFindings(source, ctx)), ...(source.stack ? noMonitor(source.stack, source.text, display) : []), ...autoPull(ctx), ...fileRules(source, ctx, abs), ...inlineSecrets(source.secretText ?? source.text, ctx, source.textKind, source.format)];
  return { ok: true, findings: findings.sort(byLine).map(({ field: _field, ...f }) => f) };
}
