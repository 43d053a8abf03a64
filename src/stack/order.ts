import type { Service } from './types.js';

/**
 * Start order as levels: every service's dependencies sit in earlier levels, and
 * the services of one level are independent, so they may start in parallel.
 * Assumes a validated stack (no unknown names, no cycles).
 */
export function startLevels(services: readonly Service[]): Service[][] {
  const levels: Service[][] = [];
  const placed = new Set<string>();
  let left = [...services];
  while (left.length > 0) {
    const ready = left.filter((s) => s.dependsOn.every((d) => placed.has(d)));
    if (ready.length === 0) throw new Error(`dependency cycle among: ${left.map((s) => s.name).join(', ')}`);
    levels.push(ready);
    for (const s of ready) placed.add(s.name);
    left = left.filter((s) => !placed.has(s.name));
  }
  return levels;
}

/** `names` plus everything they depend on, transitively, in stack order. */
export function withDependencies(services: readonly Service[], names: readonly string[]): Service[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const want = new Set<string>();
  const add = (n: string): void => {
    if (want.has(n)) return;
    want.add(n);
    for (const d of byName.get(n)?.dependsOn ?? []) add(d);
  };
  names.forEach(add);
  return services.filter((s) => want.has(s.name));
}

/** `names` plus everything that depends on them, transitively: what a stop must take down first. */
export function withDependents(services: readonly Service[], names: readonly string[]): Service[] {
  const want = new Set(names);
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of services) {
      if (!want.has(s.name) && s.dependsOn.some((d) => want.has(d))) {
        want.add(s.name);
        grew = true;
      }
    }
  }
  return services.filter((s) => want.has(s.name));
}
