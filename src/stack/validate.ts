import { findDevFlag } from '../rules/dev-flags.js';
import type { Problem, Service, Stack } from './types.js';

// Checks that need the whole stack, not one field: names, dependencies, ports,
// and the production guarantees (no watch, no reload). Any problem here means
// nothing may be started.

type Check = (stack: Stack) => Problem[];

const at = (s: Service, field: string) => `services.${s.index}.${field}`;

const duplicateNames: Check = (stack) => {
  const seen = new Map<string, Service>();
  const out: Problem[] = [];
  for (const s of stack.services) {
    const first = seen.get(s.name);
    if (first) {
      out.push({ file: stack.file, path: at(s, 'name'), service: s.name, message: `name "${s.name}" is already used by services.${first.index}; pm2 would merge them into one app`, fix: 'give every service its own name' });
    } else seen.set(s.name, s);
  }
  return out;
};

const duplicatePorts: Check = (stack) => {
  const out: Problem[] = [];
  const listeners = stack.services.filter((s) => s.port !== null);
  for (const [i, s] of listeners.entries()) {
    const other = listeners.slice(0, i).find((o) => o.port === s.port && (o.host === s.host || [o.host, s.host].some((h) => h === '0.0.0.0' || h === '::')));
    if (other) {
      out.push({ file: stack.file, path: at(s, 'port'), service: s.name, message: `port ${s.port} is also used by services.${other.index} (${other.name}); the second to start would fail to bind`, fix: `give ${s.name} a free port` });
    }
  }
  return out;
};

const dependencies: Check = (stack) => {
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
  const cycle = findCycle(stack.services);
  if (cycle) {
    const first = stack.services.find((s) => s.name === cycle[0]);
    out.push({ file: stack.file, path: first ? at(first, 'dependsOn') : 'services', service: cycle[0], message: `dependency cycle: ${cycle.join(' -> ')}; no start order exists`, fix: 'remove one of these dependencies' });
  }
  return out;
};

const productionNeverReloads: Check = (stack) => {
  if (stack.profile !== 'production') return [];
  const out: Problem[] = [];
  for (const s of stack.services) {
    if (s.watch) {
      out.push({ file: stack.file, path: at(s, 'watch'), service: s.name, message: 'watch: true restarts the service whenever a file changes; a git pull then takes it down (the 25-minute crash)', fix: 'remove watch; use BOTSTACK_ENV=development for local auto-reload' });
    }
    const flag = findDevFlag(s.launch.args);
    if (flag) {
      out.push({ file: stack.file, path: at(s, 'args'), service: s.name, message: `"${flag.flag}" in production restarts the service whenever a file changes; a git pull then takes it down`, fix: `remove "${flag.flag}" from ${s.name}.args; set reloadInDevelopment: true and BOTSTACK_ENV=development for local work` });
    }
  }
  return out;
};

const needsPort: Check = (stack) =>
  stack.services
    .filter((s) => s.port === null && (s.kind === 'uvicorn' || s.health.type === 'http' || s.health.type === 'tcp' || s.health.type === 'mongo'))
    .map((s) => ({ file: stack.file, path: at(s, 'port'), service: s.name, message: `${s.name} needs a port (${s.kind === 'uvicorn' ? 'uvicorn listens on one' : `its ${s.health.type} health check connects to it`})`, fix: `add port: <number> to ${s.name}` }));

export const STACK_CHECKS: readonly Check[] = [duplicateNames, duplicatePorts, dependencies, productionNeverReloads, needsPort];

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
