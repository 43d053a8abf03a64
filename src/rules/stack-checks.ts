import { APP_RULES } from './index.js';
import { appsFromStack } from './model/from-stack.js';
import type { Problem, Service, Stack } from '../stack/types.js';

// Checks that need the whole stack, not one field: names, dependencies, ports,
// and the production guarantees (no watch, no reload). Any problem here means
// nothing may be started.

type Check = (stack: Stack) => Problem[];

const at = (s: Service, field: string) => `services.${s.index}.${field}`;

/**
 * Duplicate names and ports, watch and reload are production rules that
 * `botstack check` also reports for pm2 files and shell scripts; they are written
 * once, in src/rules, and here only their errors become problems. (In the
 * development profile watch/reload are info, so they do not block a start.)
 */
const rule =
  (id: string): Check =>
  (stack) => {
    const check = APP_RULES[id];
    const ctx = { file: stack.file, profile: stack.profile, apps: appsFromStack(stack) };
    if (!check) return [];
    return ctx.apps.flatMap((app) =>
      check(app, ctx)
        .filter((f) => f.severity === 'error')
        .map((f) => ({ file: stack.file, path: `services.${app.index ?? 0}.${f.field ?? 'name'}`, service: app.name, message: f.message, fix: f.fix })),
    );
  };

const unknownDependencies: Check = (stack) => {
  const names = new Set(stack.services.map((s) => s.name));
  const out: Problem[] = [];
  for (const s of stack.services) {
    for (const [j, dep] of s.dependsOn.entries()) {
      if (dep === s.name) {
        out.push({ file: stack.file, path: at(s, `dependsOn.${j}`), service: s.name, message: `${s.name} depends on itself`, fix: `remove "${dep}" from ${s.name}.dependsOn` });
      } else if (!names.has(dep)) {
        out.push({ file: stack.file, path: at(s, `dependsOn.${j}`), service: s.name, message: `"${dep}" is not a service in this stack (services: ${[...names].join(', ')})`, fix: 'name an existing service or remove the dependency' });
      }
    }
  }
  return out;
};

const dependencyCycle: Check = (stack) => {
  const cycle = findCycle(stack.services);
  if (!cycle) return [];
  const first = stack.services.find((s) => s.name === cycle[0]);
  return [{ file: stack.file, path: first ? at(first, 'dependsOn') : 'services', service: cycle[0], message: `dependency cycle: ${cycle.join(' -> ')}; no start order exists`, fix: 'remove one of these dependencies' }];
};

const needsPort: Check = (stack) =>
  stack.services
    .filter((s) => s.port === null && (s.kind === 'uvicorn' || s.health.type === 'http' || s.health.type === 'tcp' || s.health.type === 'mongo'))
    .map((s) => ({ file: stack.file, path: at(s, 'port'), service: s.name, message: `${s.name} needs a port (${s.kind === 'uvicorn' ? 'uvicorn listens on one' : `its ${s.health.type} health check connects to it`})`, fix: `add port: <number> to ${s.name}` }));

/** Whole-stack problems that are not production rules, by the id `botstack check` reports them under. */
export const STRUCTURE_CHECKS: Readonly<Record<string, Check>> = {
  'bad-dependency': unknownDependencies,
  'dependency-cycle': dependencyCycle,
  'missing-port': needsPort,
};

export const STACK_CHECKS: readonly Check[] = [rule('dup-name'), rule('dup-port'), unknownDependencies, dependencyCycle, rule('watch-on'), rule('reload-flag'), needsPort];

export function validateStack(stack: Stack): Problem[] {
  return STACK_CHECKS.flatMap((check) => check(stack));
}

function findCycle(services: readonly Service[]): string[] | null {
  const deps = new Map(services.map((s) => [s.name, s.dependsOn]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 'done' || !deps.has(n)) return null;
    if (state.get(n) === 'visiting') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'visiting');
    stack.push(n);
    for (const d of deps.get(n) ?? []) {
      if (d === n) continue;
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(n, 'done');
    return null;
  };
  for (const s of services) {
    const c = visit(s.name);
    if (c) return c;
  }
  return null;
}
